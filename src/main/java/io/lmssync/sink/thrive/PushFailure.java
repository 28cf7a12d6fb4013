package io.lmssync.sink.thrive;

import io.lmssync.record.Json;
import io.lmssync.sink.thrive.ThrivePush.Push;
import io.lmssync.sink.thrive.ThrivePush.ThriveUnavailableException;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A push that failed for good, in words: which completion (from the exchange the split wrapped in its failure) and
 * what Thrive said (from the HTTP failure inside), or the credentials to check when Thrive rejected them.
 */
final class PushFailure {

    private PushFailure() {
    }

    /** What the caller fails with, for the exception a push's retries ended with. */
    static ThriveUnavailableException of(Exception caught) {
        Push push = null;
        HttpOperationFailedException http = null;
        Throwable root = caught;
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (push == null && t instanceof CamelExchangeException failure && failure.getExchange() != null) {
                push = failure.getExchange().getProperty(ThrivePush.PUSH, Push.class);
            }
            if (http == null && t instanceof HttpOperationFailedException h) {
                http = h;
            }
            root = t;
        }
        String which = push == null ? "a completion" : "the completion of " + push.completion().recordId();
        if (http != null && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
            return new ThriveUnavailableException("Thrive rejected the credentials (HTTP " + http.getStatusCode()
                    + ") for " + which + ": check thrive.tenant-id, and thrive.client-id with thrive.client-secret "
                    + "(THRIVE_CLIENT_SECRET) or thrive.api-secret (THRIVE_API_SECRET)");
        }
        return new ThriveUnavailableException("Thrive did not take " + which + ": " + (http != null ? "HTTP "
                + http.getStatusCode() + " " + Json.answerMessage(http.getResponseBody()) : String.valueOf(root))
                + "; the chunk is sent again on the next run");
    }
}

package io.lmssync.sync;

import io.lmssync.ops.Secrets;
import io.lmssync.source.Sources;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Why a run failed, as its row and its summary line say it: the failure Camel wrapped rather than the wrapper, a
 * login the vendor refused named as such, on one line and without secrets.
 */
final class FailureReason {

    private FailureReason() {
    }

    static String of(SyncRun run, Exception cause) {
        if (cause == null) {
            return "unknown error";
        }
        // Camel wraps a failure inside a splitter, a recipient list, a bean predicate or a nested call; what happened
        // is the cause
        while ((cause instanceof CamelExchangeException || cause instanceof RuntimeCamelException)
                && cause.getCause() instanceof Exception inner) {
            cause = inner;
        }
        if (cause instanceof HttpOperationFailedException http && run != null
                && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
            return Sources.byKey(run.source()).map(s -> Sources.credentialsRejected(s, "HTTP " + http.getStatusCode()))
                    .orElse(http.getMessage());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Secrets.mask(message.replaceAll("\\s+", " "));
    }
}

package io.lmssync.check;

import io.lmssync.record.Json;
import io.lmssync.ops.Redaction;
import io.lmssync.source.Answer;
import io.lmssync.source.AnswerDownload;
import io.lmssync.source.CachedTokenProvider.CredentialsRejectedException;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.SourceRequest;
import io.lmssync.sink.thrive.ThrivePush;
import io.lmssync.sync.SyncRun;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultExchange;

/**
 * A check's calls: each request through its account's gateway route ({@code direct:<account>-call}), as a sync sends
 * it (the account's budget and throttle, its credentials, a 429's pause: waited out and sent again), read as a probe
 * (at most a page of records, nothing spooled) and taken as an {@link Answer} whatever the status: a refusal is
 * evidence, not an error.
 */
final class SourceCalls implements AutoCloseable {

    /** Records a probe reads of an answer: a page, whatever the source's page size. */
    static final int HEAD = 1000;

    private final CamelContext context;
    private final RateBudgets budgets;
    private final int maxRetries;
    private final ProducerTemplate template;
    private final AtomicLong requests = new AtomicLong();

    SourceCalls(CamelContext context, RateBudgets budgets, int maxRetries) {
        this.context = context;
        this.budgets = budgets;
        this.maxRetries = maxRetries;
        this.template = context.createProducerTemplate();
    }

    /** Sends the request for the run through the account's gateway; the answer, or what the source refused. */
    Answer call(SyncRun run, SourceRequest request) throws Exception {
        for (int refused = 0; ; refused++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(SyncRun.PROPERTY, run);
            exchange.setProperty(AnswerDownload.PROBE, HEAD);
            request.on(exchange);
            requests.incrementAndGet();
            template.send("direct:" + request.account() + "-call", exchange);
            Exception failure = exchange.getException();
            if (failure == null) {
                Answer answer = exchange.getProperty(Answer.PROPERTY, Answer.class);
                return answer != null ? answer : Answer.refused(
                        exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class),
                        Json.answerMessage(exchange.getMessage().getBody(String.class)), Map.of());
            }
            HttpOperationFailedException http = cause(failure, HttpOperationFailedException.class);
            if (http != null && http.getStatusCode() == 429 && refused < maxRetries) {
                budgets.refused(exchange); // the account pauses, on every node, as for a sync's 429
                continue;
            }
            if (http != null) {
                return Answer.refused(http.getStatusCode(), Redaction.redact(Json.answerMessage(http.getResponseBody())),
                        headers(http));
            }
            CredentialsRejectedException rejected = cause(failure, CredentialsRejectedException.class);
            if (rejected != null) {
                return Answer.refused(401, rejected.getMessage(), Map.of());
            }
            throw failure;
        }
    }

    /** Requests sent so far (each retry after a 429 too). */
    long requests() {
        return requests.get();
    }

    private static Map<String, String> headers(HttpOperationFailedException http) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (http.getResponseHeaders() != null) {
            http.getResponseHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        return headers;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        template.close();
    }
}

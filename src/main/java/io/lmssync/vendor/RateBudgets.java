package io.lmssync.vendor;

import io.lmssync.sync.SyncRun;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every vendor account's {@link RateBudget}, found by the vendor of the exchange's run: the gateway routes wait their
 * turn and report answers here, and the error handler reports 429s.
 */
public final class RateBudgets {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudgets.class);

    private final Map<String, RateBudget> byVendor;

    public RateBudgets(Map<String, RateBudget> byVendor) {
        this.byVendor = Map.copyOf(byVendor);
    }

    private RateBudget of(Exchange exchange) {
        String account = Account.of(exchange);
        return account == null ? null : byVendor.get(account);
    }

    /** Before a call: wait while the account is paused. */
    public void awaitTurn(Exchange exchange) {
        RateBudget budget = of(exchange);
        if (budget != null) {
            budget.awaitTurn();
        }
        SyncRun run = ownRun(exchange);
        if (run != null) {
            run.countRequest();
        }
    }

    /** The run whose vendor the call goes to (not a Thrive push made during a vendor's run). */
    private static SyncRun ownRun(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        return run != null && run.vendor().equals(Account.of(exchange)) ? run : null;
    }

    /** Every account's budget, one each (Continu's two APIs share one). */
    public Collection<RateBudget> accounts() {
        return new LinkedHashSet<>(byVendor.values());
    }

    /** After an answer: the backoff resets; the vendor's own request counters go to the DEBUG log. */
    public void answered(Exchange exchange) {
        RateBudget budget = of(exchange);
        if (budget != null) {
            budget.answered();
        }
        Message message = exchange.getMessage();
        Object perMinute = message.getHeader("X-REQUESTS-PER-MINUTE");
        if (perMinute != null && LOG.isDebugEnabled()) {
            LOG.debug("vendor counts {} requests this minute, {} today", perMinute,
                    message.getHeader("X-REQUESTS-PER-DAY"));
        }
    }

    /** The error handler's hook for a 429: the whole account pauses before the request is sent again. */
    public void refused(Exchange exchange) {
        RateBudget budget = of(exchange);
        Exception cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // Camel may call this hook for any failure of a call that once answered 429: only a 429 is a refusal
        if (budget != null && cause instanceof HttpOperationFailedException http && http.getStatusCode() == 429) {
            String retryAfter = http.getResponseHeaders() == null ? null : http.getResponseHeaders().entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("Retry-After")).map(Map.Entry::getValue).findFirst()
                    .orElse(null);
            budget.refused(retryAfter);
            SyncRun run = ownRun(exchange);
            if (run != null) {
                run.countRateLimited();
            }
        }
    }
}

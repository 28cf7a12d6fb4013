package io.lmssync.source;

import io.lmssync.sync.SyncRun;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every vendor account's {@link RateBudget}, found by the vendor of the exchange's run: the gateway routes wait their
 * turn and report the end of each call here, and the error handler reports 429s.
 */
public final class RateBudgets {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudgets.class);

    private final Map<String, RateBudget> byAccount;

    public RateBudgets(Map<String, RateBudget> byAccount) {
        this.byAccount = Map.copyOf(byAccount);
    }

    private RateBudget of(Exchange exchange) {
        SourceRequest request = SourceRequest.of(exchange);
        return request == null ? null : byAccount.get(request.account());
    }

    /** Before a call: wait while the account is paused or its window is full, then hold a place in it. */
    public void awaitTurn(Exchange exchange) throws SQLException, InterruptedException {
        RateBudget budget = of(exchange);
        if (budget != null) {
            BudgetPlace place = budget.awaitTurn();
            if (place != null) {
                exchange.setProperty(BudgetPlace.PROPERTY, place);
            }
        }
        SyncRun run = ownRun(exchange);
        if (run != null) {
            run.countRequest();
        }
    }

    /** The run whose source the call goes to (not a Thrive push made during a source's run). */
    private static SyncRun ownRun(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        SourceRequest request = SourceRequest.of(exchange);
        return run != null && request != null && request.account().equals(run.account()) ? run : null;
    }

    /** Every account's rows, made at start-up (the first node to start makes them). */
    public void ensure() throws SQLException {
        for (RateBudget budget : accounts()) {
            budget.ensure();
        }
    }

    /** The account's budget, or null when lms-sync does not call it. */
    public RateBudget account(String account) {
        return byAccount.get(account);
    }

    /** Every account's budget, one each (Continu's two APIs share one). */
    public Collection<RateBudget> accounts() {
        return new LinkedHashSet<>(byAccount.values());
    }

    /**
     * After a call, whatever its outcome (the gateway's doFinally): the place it held frees a period from now, the
     * vendor's count of requests steers the budget, and an answer other than 429 resets the backoff.
     */
    public void answered(Exchange exchange) throws SQLException {
        BudgetPlace place = exchange.getProperty(BudgetPlace.PROPERTY, BudgetPlace.class);
        exchange.removeProperty(BudgetPlace.PROPERTY);
        RateBudget budget = of(exchange);
        if (budget == null) {
            return;
        }
        Exception failure = failure(exchange);
        String counted = budget.countHeader() == null ? null : failure instanceof HttpOperationFailedException http
                ? header(http, budget.countHeader()) : failure == null
                        ? exchange.getMessage().getHeader(budget.countHeader(), String.class) : null;
        budget.answered(place, count(counted, budget.countHeader()));
        if (failure == null) {
            budget.accepted();
        }
    }

    private static Exception failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    private static Long count(String value, String header) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            LOG.debug("an unreadable {} header '{}' is left out", header, value);
            return null;
        }
    }

    /** A response header of a failed call (names as received: read without regard to case). */
    private static String header(HttpOperationFailedException http, String name) {
        return http.getResponseHeaders() == null ? null : http.getResponseHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The error handler's hook for a 429: the whole account pauses before the request is sent again. */
    public void refused(Exchange exchange) throws SQLException {
        RateBudget budget = of(exchange);
        Exception cause = failure(exchange);
        // Camel may call this hook for any failure of a call that once answered 429: only a 429 is a refusal
        if (budget != null && cause instanceof HttpOperationFailedException http && http.getStatusCode() == 429) {
            budget.refused(header(http, "Retry-After"));
            SyncRun run = ownRun(exchange);
            if (run != null) {
                run.countRateLimited();
            }
        }
    }
}

package io.lmssync.ops;

import io.lmssync.source.RateBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Per-account meters for /observe/metrics, read when scraped, tagged with the account: the budget
 * ({@code lms_sync_account_budget}), the requests in the account's sliding window as lms-sync counts them (every node's)
 * beside what the vendor last said it counted ({@code lms_sync_account_requests_in_window{counted_by=lms-sync|source}}),
 * the places held for the account's other clients ({@code lms_sync_account_other_clients_in_window}) and this node's
 * 429s ({@code lms_sync_account_rate_limited_total}); for alerts, the share of the budget in use now, every client's
 * ({@code lms_sync_account_budget_used_ratio}, 1 when exhausted) and until when a 429 pauses every call
 * ({@code lms_sync_account_paused_until_timestamp_seconds}, 0 when not paused). What is read from the database keeps
 * its last value when the database cannot answer ({@link HeldReadings}).
 */
final class AccountMetrics {

    private AccountMetrics() {
    }

    static void bind(MeterRegistry registry, HeldReadings held, Collection<RateBudget> budgets) {
        for (RateBudget budget : budgets) {
            Tags tags = Tags.of("account", budget.account());
            if (budget.perPeriod() > 0) {
                Gauge.builder("lms.sync.account.budget", budget, RateBudget::perPeriod).tags(tags)
                        .description("requests the account allows per period (none for an account without a"
                                + " budget)").register(registry);
            }
            String inWindow = "requests in the account's sliding window: counted_by=lms-sync every node's in flight or"
                    + " answered within the last period; counted_by=source what the vendor said it counted in its last"
                    + " answer that said (0 before one did)";
            held.gauge("lms.sync.account.requests.in.window", tags.and("counted_by", "lms-sync"), inWindow,
                    budget::requestsInWindow);
            if (budget.countHeader() != null) {
                Gauge.builder("lms.sync.account.requests.in.window", budget, b -> Math.max(0, b.vendorCount()))
                        .tags(tags.and("counted_by", "source")).description(inWindow).register(registry);
            }
            held.gauge("lms.sync.account.other.clients.in.window", tags,
                    "places held for requests the vendor counted from other clients", budget::otherClientsInWindow);
            FunctionCounter.builder("lms.sync.account.rate.limited", budget, RateBudget::rateLimited).tags(tags)
                    .description("429s this node received").register(registry);
            if (budget.perPeriod() > 0) {
                held.gauge("lms.sync.account.budget.used.ratio", tags, "places of the window in use now, lms-sync's"
                        + " and other clients', of the budget (1: exhausted)",
                        () -> (double) used(budget) / budget.perPeriod());
            }
            held.gauge("lms.sync.account.paused.until.timestamp.seconds", tags, "until when every call of the account"
                    + " waits after a 429 (Unix seconds; 0: not paused)", () -> pausedUntil(budget));
        }
    }

    /** The places of the account's window taken now: lms-sync's requests and those held for other clients. */
    static long used(RateBudget budget) throws SQLException {
        return (long) budget.requestsInWindow() + budget.otherClientsInWindow();
    }

    /** Until when the account is paused after a 429, in epoch seconds; 0 when it is not. */
    private static long pausedUntil(RateBudget budget) throws SQLException {
        // paused or not by the database's clock, which every node's pause follows
        java.time.Duration left = budget.pausedFor();
        return left.isNegative() || left.isZero() ? 0 : budget.pausedUntil().getEpochSecond();
    }
}

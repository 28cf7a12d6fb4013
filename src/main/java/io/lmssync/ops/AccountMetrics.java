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
 * beside what the vendor last said it counted ({@code lms_sync_account_requests_in_window{counted_by=lms-sync|vendor}}),
 * the places held for the account's other clients ({@code lms_sync_account_other_clients_in_window}) and this node's
 * 429s ({@code lms_sync_account_rate_limited_total}).
 */
final class AccountMetrics {

    private AccountMetrics() {
    }

    static void bind(MeterRegistry registry, Collection<RateBudget> budgets) {
        for (RateBudget budget : budgets) {
            Tags tags = Tags.of("account", budget.account());
            Gauge.builder("lms.sync.account.budget", budget, RateBudget::perPeriod).tags(tags)
                    .description("requests the account allows per period (0: no budget)").register(registry);
            Gauge.builder("lms.sync.account.requests.in.window", budget, b -> read(b::requestsInWindow))
                    .tags(tags.and("counted_by", "lms-sync"))
                    .description("lms-sync's requests (every node's) in flight or answered within the last period")
                    .register(registry);
            if (budget.countHeader() != null) {
                Gauge.builder("lms.sync.account.requests.in.window", budget,
                                b -> b.vendorCount() < 0 ? Double.NaN : b.vendorCount())
                        .tags(tags.and("counted_by", "vendor"))
                        .description("what the vendor said it counted, in its last answer that said")
                        .register(registry);
            }
            Gauge.builder("lms.sync.account.other.clients.in.window", budget, b -> read(b::otherClientsInWindow))
                    .tags(tags).description("places held for requests the vendor counted from other clients")
                    .register(registry);
            FunctionCounter.builder("lms.sync.account.rate.limited", budget, RateBudget::rateLimited).tags(tags)
                    .description("429s this node received").register(registry);
        }
    }

    private static double read(AccountView.Count count) {
        try {
            return count.get();
        } catch (SQLException e) {
            return Double.NaN; // the database is away: the scrape still answers
        }
    }
}

package io.lmssync;

import io.lmssync.sink.Sinks;
import io.lmssync.sink.thrive.ThrivePush;
import io.lmssync.sink.xapi.XapiSink;
import io.lmssync.source.RateBudget;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.RequestBounds;
import io.lmssync.source.Sources;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The accounts lms-sync calls and their rate budgets: one budget per account, shared by every source of the account
 * (Continu's two APIs) and by every node: its window and its pause are in the database.
 */
final class AccountBudgets {

    private AccountBudgets() {
    }

    static RateBudgets of(Settings settings, Sources sources, Sinks sinks, DataSource dataSource,
            RequestBounds bounds) throws SQLException {
        Map<String, RateBudget> byAccount = new HashMap<>();
        for (String account : accounts(sources, sinks)) {
            byAccount.put(account, budget(settings, account, dataSource, bounds.limits(account).deadline()));
        }
        return new RateBudgets(byAccount);
    }

    /** The accounts lms-sync calls: each enabled source's, Thrive's with the thrive sink, the LRS's with xapi. */
    static Set<String> accounts(Sources sources, Sinks sinks) {
        Set<String> accounts = new LinkedHashSet<>();
        sources.enabled().forEach(source -> accounts.add(source.account()));
        if (sinks.has(LmsSyncConfiguration.THRIVE)) {
            accounts.add(ThrivePush.ACCOUNT);
        }
        if (sinks.has(LmsSyncConfiguration.XAPI)) {
            accounts.add(XapiSink.ACCOUNT);
        }
        return accounts;
    }

    /** An account's budget: its requests per period when it has one, the header its vendor counts in if any. */
    private static RateBudget budget(Settings settings, String account, DataSource dataSource, Duration deadline)
            throws SQLException {
        Duration initial = settings.duration("sync.rate-limit.initial-backoff");
        Duration max = settings.duration("sync.rate-limit.max-backoff");
        settings.positiveInt("sync.rate-limit.max-retries");
        int perPeriod = settings.optional(account + ".requests-per-minute").isPresent()
                ? settings.positiveInt(account + ".requests-per-minute") : 0;
        Duration period = Duration.ofMillis(settings.optional(account + ".rate-period-ms").isPresent()
                ? settings.positiveInt(account + ".rate-period-ms") : 60_000);
        // an unanswered request holds its place until its answer can no longer come: its deadline, or sooner the
        // timeouts of a connection and a read
        Duration timeouts = Duration.ofMillis((long) settings.positiveInt("sync.http.connect-timeout-ms")
                + settings.positiveInt("sync.http.response-timeout-ms"));
        Duration inFlight = deadline.compareTo(timeouts) < 0 ? deadline : timeouts;
        return new RateBudget(dataSource, account, perPeriod, period, inFlight,
                settings.optional(account + ".vendor-count-header").orElse(null), initial, max, Clock.systemUTC());
    }
}

package io.lmssync.ops;

import io.lmssync.source.CachedTokenProvider;
import io.lmssync.source.RateBudget;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** An account's MBean, read live from its rate budget and token provider. */
final class AccountView implements AccountMBean {

    private final RateBudget budget;
    private final CachedTokenProvider tokens;
    private final Clock clock;

    AccountView(RateBudget budget, CachedTokenProvider tokens, Clock clock) {
        this.budget = budget;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public String getAccount() {
        return budget.account();
    }

    @Override
    public int getBudgetPerPeriod() {
        return budget.perPeriod();
    }

    @Override
    public long getPeriodMillis() {
        return budget.period().toMillis();
    }

    @Override
    public long getRequestsInWindow() {
        return read(budget::requestsInWindow);
    }

    @Override
    public long getSourceCountInWindow() {
        return budget.vendorCount();
    }

    @Override
    public long getOtherClientsInWindow() {
        return read(budget::otherClientsInWindow);
    }

    @Override
    public long getTotalRequests() {
        return budget.requests();
    }

    @Override
    public long getTotalRateLimited() {
        return budget.rateLimited();
    }

    @Override
    public String getPausedUntil() {
        try {
            // paused or not by the database's clock, which every node's pause follows
            Duration left = budget.pausedFor();
            return left.isNegative() || left.isZero() ? "" : budget.pausedUntil().toString();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + budget.account() + "'s pause: " + e.getMessage(), e);
        }
    }

    /** A number the database holds; an error reaches the JMX client as one. */
    private long read(Count count) {
        try {
            return count.get();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + budget.account() + "'s budget: " + e.getMessage(), e);
        }
    }

    /** A count read from the database. */
    interface Count {
        long get() throws SQLException;
    }

    @Override
    public String getTokenExpiresAt() {
        Instant expiry = tokens == null ? null : tokens.expiresAt();
        return expiry == null ? "" : expiry.toString();
    }
}

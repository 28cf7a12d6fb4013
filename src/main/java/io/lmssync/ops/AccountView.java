package io.lmssync.ops;

import io.lmssync.vendor.CachedTokenProvider;
import io.lmssync.vendor.RateBudget;
import java.time.Clock;
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
    public long getRequestsInCurrentPeriod() {
        return budget.requestsInCurrentPeriod();
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
        Instant until = budget.pausedUntil();
        return until.isAfter(clock.instant()) ? until.toString() : "";
    }

    @Override
    public String getTokenExpiresAt() {
        Instant expiry = tokens == null ? null : tokens.expiresAt();
        return expiry == null ? "" : expiry.toString();
    }
}

package io.lmssync.ops;

import org.apache.camel.api.management.ManagedAttribute;

/**
 * One vendor account (or Thrive), under {@code lms-sync:type=account,name=<account>}: its rate budget and its token's
 * expiry, never the token.
 */
public interface AccountMBean {

    @ManagedAttribute(description = "The account's name")
    String getAccount();

    @ManagedAttribute(description = "Requests allowed per period (the throttle); 0 when the account has no throttle")
    int getBudgetPerPeriod();

    @ManagedAttribute(description = "The throttle's period, in milliseconds")
    long getPeriodMillis();

    @ManagedAttribute(description = "lms-sync's requests (every node's) in the account's sliding window now: in"
            + " flight or answered within a period")
    long getRequestsInWindow();

    @ManagedAttribute(description = "What the vendor said it counted in its window, in its last answer that said"
            + " (-1: never)")
    long getSourceCountInWindow();

    @ManagedAttribute(description = "Places in the window held for requests the vendor counted from other clients"
            + " of the account")
    long getOtherClientsInWindow();

    @ManagedAttribute(description = "Requests sent since this process started")
    long getTotalRequests();

    @ManagedAttribute(description = "429 answers since this process started")
    long getTotalRateLimited();

    @ManagedAttribute(description = "Until when every call of the account waits after a 429; empty when it does not")
    String getPausedUntil();

    @ManagedAttribute(description = "When the current token expires; empty for a fixed token or before the first")
    String getTokenExpiresAt();
}

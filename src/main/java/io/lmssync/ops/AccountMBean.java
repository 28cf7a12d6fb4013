package io.lmssync.ops;

/**
 * One vendor account (or Thrive), under {@code lms-sync:type=account,name=<account>}: its rate budget and its token's
 * expiry, never the token.
 */
public interface AccountMBean {

    String getAccount();

    /** Requests allowed per period (the throttle); 0 when the account has no throttle. */
    int getBudgetPerPeriod();

    long getPeriodMillis();

    /** lms-sync's requests (every node's) in the account's sliding window now: in flight or answered within a period. */
    long getRequestsInWindow();

    /** What the vendor said it counted in its window, in its last answer that said (-1: never). */
    long getSourceCountInWindow();

    /** Places in the window held for requests the vendor counted from other clients of the account. */
    long getOtherClientsInWindow();

    long getTotalRequests();

    long getTotalRateLimited();

    /** Until when every call of the account waits after a 429; empty when it does not. */
    String getPausedUntil();

    /** When the current token expires; empty for a fixed token or before the first. */
    String getTokenExpiresAt();
}

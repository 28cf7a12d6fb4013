package io.lmssync.ops;

/**
 * One stream, under {@code lms-sync:type=stream,source=<source>,name=<stream>}. "LastRun" is the run under way, or the
 * last that ended (read from sync_run after a restart); "Total" counts since this process started. Times are ISO-8601
 * instants, empty when unknown.
 */
public interface StreamMBean {

    String getSource();

    String getStream();

    /** Where the next incremental run starts (the end of the last window done), or the last complete snapshot. */
    String getCursor();

    /** Seconds between the cursor and now; -1 without a cursor. */
    long getLagSeconds();

    boolean isPaused();

    boolean isRunning();

    String getLastRunStart();

    String getLastRunEnd();

    /** running, succeeded, failed or abandoned; empty before the first run. */
    String getLastRunStatus();

    /** Why the last run failed, without secrets; empty when it did not. */
    String getLastRunError();

    long getLastRunFetched();

    long getLastRunInserted();

    long getLastRunUpdated();

    long getLastRunUnchanged();

    long getLastRunDeleted();

    long getLastRunDeadLettered();

    long getLastRunRequests();

    long getLastRunRateLimited();

    int getBackfillWindowsDone();

    int getBackfillWindowsTotal();

    /** Deletions a full pull held because they looked like an outage; applyHeldDeletions applies them. */
    long getHeldDeletions();

    /** Versions a run read that were older than what the sinks hold (not delivered), in the last run. */
    long getLastRunOlder();

    long getTotalRuns();

    long getTotalFailedRuns();

    long getTotalFetched();

    long getTotalInserted();

    long getTotalUpdated();

    long getTotalUnchanged();

    long getTotalDeleted();

    long getTotalDeadLettered();

    long getTotalRequests();

    long getTotalRateLimited();

    /**
     * Starts a run now, in the background; a run under way (here or on another node) is followed by it, once. Refused
     * while paused. Says what it did.
     */
    String runNow();

    /** Starts a reconciliation now, in the background, queued like runNow (incremental streams only). */
    String reconcileNow();

    /**
     * Delivers the deletions a full pull held as tombstones to every sink (a record delivered again since is
     * skipped), as a run of the stream; answers with its summary line. Audited.
     */
    String applyHeldDeletions();

    /** Skips the stream's runs, on every node, until resumed. Audited. */
    String pause();

    String resume();

    /** Sets the cursor: the next run reads from this instant (ISO-8601, e.g. 2026-01-01T00:00:00Z). Audited. */
    String resetCursor(String isoInstant);

    /** Sends the stream's dead letters through its mapper again: what maps now is delivered, the rest stays. */
    String retryDeadLetters();

    /**
     * Maps the stream's raw archive (then its dead letters) again through today's mapper and delivers what changed,
     * with no request to the source: after a mapping fix, history is re-mapped without spending the vendor's budget.
     */
    String replayArchive();

    /**
     * Runs the stream's first-contact check now (the few smallest requests a sync would make, through the account's
     * budget; nothing delivered, no cursor moved): one line per check that did not pass, or that all held.
     */
    String check();

    /** The last first-contact check: when, how it went (ok, warning, failed) and what did not pass; empty before one. */
    String getLastCheck();

    /**
     * Lets the stream start its first sync although its first-contact check failed (until a check passes). Audited.
     */
    String overrideCheck();
}

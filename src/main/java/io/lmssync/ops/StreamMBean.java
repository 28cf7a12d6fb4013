package io.lmssync.ops;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;

/**
 * One stream, under {@code lms-sync:type=stream,source=<source>,name=<stream>}. "LastRun" is the run under way, or the
 * last that ended (read from sync_run after a restart); "Total" counts since this process started. Times are ISO-8601
 * instants, empty when unknown. The descriptions are what jconsole and Hawtio show.
 */
public interface StreamMBean {

    @ManagedAttribute(description = "The source (vendor) the stream reads")
    String getSource();

    @ManagedAttribute(description = "The stream's name, <source>-<stream>")
    String getStream();

    @ManagedAttribute(description = "Where the next incremental run starts (the end of the last window done), or the"
            + " last complete snapshot; empty before the first")
    String getCursor();

    @ManagedAttribute(description = "Seconds between the cursor and now; -1 without a cursor")
    long getLagSeconds();

    @ManagedAttribute(description = "Whether the stream's runs are skipped, on every node, until resumed")
    boolean isPaused();

    @ManagedAttribute(description = "Whether a run of the stream is under way in this process")
    boolean isRunning();

    @ManagedAttribute(description = "When the last run started")
    String getLastRunStart();

    @ManagedAttribute(description = "When the last run ended; empty while it runs")
    String getLastRunEnd();

    @ManagedAttribute(description = "running, succeeded, failed or abandoned; empty before the first run")
    String getLastRunStatus();

    @ManagedAttribute(description = "Why the last run failed, without secrets; empty when it did not")
    String getLastRunError();

    @ManagedAttribute(description = "Records the last run read from the source")
    long getLastRunFetched();

    @ManagedAttribute(description = "Records the last run delivered that the sinks did not hold")
    long getLastRunInserted();

    @ManagedAttribute(description = "Records the last run delivered in a newer version than the sinks held")
    long getLastRunUpdated();

    @ManagedAttribute(description = "Records the last run read that the sinks held as they were (not delivered)")
    long getLastRunUnchanged();

    @ManagedAttribute(description = "Tombstones the last run delivered for records gone from the source")
    long getLastRunDeleted();

    @ManagedAttribute(description = "Records of the last run that did not map, kept as dead letters")
    long getLastRunDeadLettered();

    @ManagedAttribute(description = "Requests the last run sent to the source")
    long getLastRunRequests();

    @ManagedAttribute(description = "Answers of the last run that were 429 (rate limited)")
    long getLastRunRateLimited();

    @ManagedAttribute(description = "Backfill windows done of the stream's history")
    int getBackfillWindowsDone();

    @ManagedAttribute(description = "Backfill windows in all of the stream's history")
    int getBackfillWindowsTotal();

    @ManagedAttribute(description = "Deletions a full pull held because they looked like an outage;"
            + " applyHeldDeletions applies them")
    long getHeldDeletions();

    @ManagedAttribute(description = "Versions the last run read that were older than what the sinks hold"
            + " (not delivered)")
    long getLastRunOlder();

    @ManagedAttribute(description = "Runs since this process started")
    long getTotalRuns();

    @ManagedAttribute(description = "Failed runs since this process started")
    long getTotalFailedRuns();

    @ManagedAttribute(description = "Records read since this process started")
    long getTotalFetched();

    @ManagedAttribute(description = "Records inserted since this process started")
    long getTotalInserted();

    @ManagedAttribute(description = "Records updated since this process started")
    long getTotalUpdated();

    @ManagedAttribute(description = "Records unchanged since this process started")
    long getTotalUnchanged();

    @ManagedAttribute(description = "Tombstones delivered since this process started")
    long getTotalDeleted();

    @ManagedAttribute(description = "Records dead-lettered since this process started")
    long getTotalDeadLettered();

    @ManagedAttribute(description = "Requests sent since this process started")
    long getTotalRequests();

    @ManagedAttribute(description = "429 answers since this process started")
    long getTotalRateLimited();

    @ManagedOperation(description = "Starts a run now, in the background; a run under way (here or on another node)"
            + " is followed by it, once. Refused while paused. Says what it did")
    String runNow();

    @ManagedOperation(description = "Starts a reconciliation now, in the background, queued like runNow"
            + " (incremental streams only)")
    String reconcileNow();

    @ManagedOperation(description = "Delivers the deletions a full pull held as tombstones to every sink (a record"
            + " delivered again since is skipped), as a run of the stream; answers with its summary line. Audited")
    String applyHeldDeletions();

    @ManagedOperation(description = "Skips the stream's runs, on every node, until resumed. Audited")
    String pause();

    @ManagedOperation(description = "Lets the stream run on its schedule again. Audited")
    String resume();

    @ManagedOperation(description = "Sets the cursor: the next run reads from isoInstant, an ISO-8601 instant such as"
            + " 2026-01-01T00:00:00Z. Audited")
    String resetCursor(String isoInstant);

    @ManagedOperation(description = "Sends the stream's dead letters through its mapper again: what maps now is"
            + " delivered, the rest stays")
    String retryDeadLetters();

    @ManagedOperation(description = "Maps the stream's raw archive (then its dead letters) again through today's"
            + " mapper and delivers what changed, with no request to the source")
    String replayArchive();

    @ManagedOperation(description = "Runs the stream's first-contact check now (the few smallest requests a sync"
            + " would make; nothing delivered, no cursor moved): one line per check that did not pass, or that all"
            + " held")
    String check();

    @ManagedAttribute(description = "The last first-contact check: when, how it went (ok, warning, failed) and what"
            + " did not pass; empty before one")
    String getLastCheck();

    @ManagedOperation(description = "Lets the stream start its first sync although its first-contact check failed"
            + " (until a check passes). Audited")
    String overrideCheck();
}

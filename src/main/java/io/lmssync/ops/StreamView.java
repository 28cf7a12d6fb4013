package io.lmssync.ops;

import io.lmssync.check.FirstContact;
import io.lmssync.source.Stream;
import io.lmssync.sync.StreamStats;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.Deletions;
import io.lmssync.sync.SourceRuns;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A stream's MBean: read live from the runs, the cursor and the database; its operations are the operator's
 * {@link StreamActions}, which run through the routes.
 */
final class StreamView implements StreamMBean {

    private final Stream declared;
    private final String source;
    private final String stream;
    private final boolean windowed;
    private final SyncRuns runs;
    private final SyncWindows windows;
    private final Deletions deletions;
    private final FirstContact firstContact;
    private final DataSource dataSource;
    private final Clock clock;
    private final StreamActions actions;

    StreamView(Stream declared, SyncRuns runs, SourceRuns sourceRuns, SyncWindows windows, Deletions deletions,
            FirstContact firstContact, DataSource dataSource, Clock clock) {
        this.declared = declared;
        this.deletions = deletions;
        this.firstContact = firstContact;
        this.source = declared.source();
        this.stream = declared.id();
        this.windowed = declared.windowed();
        this.runs = runs;
        this.windows = windows;
        this.dataSource = dataSource;
        this.clock = clock;
        this.actions = new StreamActions(this, runs, sourceRuns, windows, firstContact);
    }

    private StreamStats stats() {
        return runs.stats(stream);
    }

    private RunView lastRun() {
        SyncRun run = stats().current() != null && stats().current().id() > 0 ? stats().current() : stats().last();
        // nothing ran in this process yet: the last run recorded
        return run != null ? RunView.of(run) : RunView.lastRecorded(dataSource, stream);
    }

    /** The stream's cursor ({@link #getCursor}), or null before it has one. */
    Instant cursor() {
        try {
            return windows.cursor(stream);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cursor of " + stream + ": " + e.getMessage());
        }
    }

    /** Whether the stream is read in windows from a cursor (and so has a reconciliation). */
    boolean windowed() { return windowed; }

    /** Its sync schedule's Quartz job: its source's, or its own (a daily report group). */
    String syncJob() { return declared.syncJob(); }

    /** Its reconciliation schedule's Quartz job. */
    String reconcileJob() { return declared.reconcileJob(); }

    @Override public String getSource() { return source; }
    @Override public String getStream() { return stream; }

    @Override
    public String getCursor() {
        Instant cursor = cursor();
        return cursor == null ? "" : cursor.toString();
    }

    @Override
    public long getLagSeconds() {
        Instant cursor = cursor();
        return cursor == null ? -1 : Math.max(0, Duration.between(cursor, windows.now()).toSeconds());
    }

    /**
     * Seconds between what the store holds of the stream and now, for /observe/metrics: from the cursor, or before the
     * first window is done from the start of the vendor's history (a backfill not begun lags by all of it).
     */
    long cursorLagSeconds() {
        Instant cursor = cursor();
        Instant from = cursor != null ? cursor : windows.historyStart(source);
        return Math.max(0, Duration.between(from, clock.instant()).toSeconds());
    }

    @Override
    public boolean isPaused() {
        return pausedSince().isPresent();
    }

    Optional<Instant> pausedSince() {
        try {
            return runs.control().pausedSince(stream);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read whether " + stream + " is paused: " + e.getMessage());
        }
    }

    @Override public boolean isRunning() { return stats().current() != null; }
    @Override public String getLastRunStart() { return lastRun().start(); }
    @Override public String getLastRunEnd() { return lastRun().end(); }
    @Override public String getLastRunStatus() { return lastRun().status(); }
    @Override public String getLastRunError() { return lastRun().error(); }
    @Override public long getLastRunFetched() { return lastRun().fetched(); }
    @Override public long getLastRunInserted() { return lastRun().inserted(); }
    @Override public long getLastRunUpdated() { return lastRun().updated(); }
    @Override public long getLastRunUnchanged() { return lastRun().unchanged(); }
    @Override public long getLastRunDeleted() { return lastRun().deleted(); }
    @Override public long getLastRunDeadLettered() { return lastRun().deadLettered(); }
    @Override public long getLastRunRequests() { return lastRun().requests(); }
    @Override public long getLastRunRateLimited() { return lastRun().rateLimited(); }
    @Override public int getBackfillWindowsDone() { return lastRun().windowsDone(); }
    @Override public int getBackfillWindowsTotal() { return lastRun().windowsTotal(); }
    @Override public long getLastRunOlder() { return lastRun().older(); }

    @Override
    public long getHeldDeletions() {
        try {
            return deletions.heldCount(stream);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the held deletions of " + stream + ": " + e.getMessage());
        }
    }

    @Override public long getTotalRuns() { return stats().runs(); }
    @Override public long getTotalFailedRuns() { return stats().failedRuns(); }
    @Override public long getTotalFetched() { return stats().fetched(); }
    @Override public long getTotalInserted() { return stats().inserted(); }
    @Override public long getTotalUpdated() { return stats().updated(); }
    @Override public long getTotalUnchanged() { return stats().unchanged(); }
    @Override public long getTotalDeleted() { return stats().deleted(); }
    @Override public long getTotalDeadLettered() { return stats().deadLettered(); }
    @Override public long getTotalRequests() { return stats().requests(); }
    @Override public long getTotalRateLimited() { return stats().rateLimited(); }

    @Override public String runNow() { return actions.runNow(); }
    @Override public String reconcileNow() { return actions.reconcileNow(); }
    @Override public String applyHeldDeletions() { return actions.applyHeldDeletions(); }
    @Override public String pause() { return actions.pause(); }
    @Override public String resume() { return actions.resume(); }
    @Override public String resetCursor(String isoInstant) { return actions.resetCursor(isoInstant); }
    @Override public String retryDeadLetters() { return actions.retryDeadLetters(); }
    @Override public String replayArchive() { return actions.replayArchive(); }
    @Override public String check() { return actions.check(); }
    @Override public String overrideCheck() { return actions.overrideCheck(); }

    @Override
    public String getLastCheck() {
        try {
            return firstContact.store().last(stream).map(c -> c.at() + " " + (c.outcome() == null ? "unchecked"
                    : c.outcome().label()) + (c.summary() == null || c.summary().isEmpty() ? "" : ": " + c.summary())
                    + (c.overridden() ? " (overridden " + c.overriddenAt() + ")" : "")).orElse("");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last check of " + stream + ": " + e.getMessage());
        }
    }
}

package io.lmssync.ops;

import io.lmssync.check.Check;
import io.lmssync.check.CheckReport;
import io.lmssync.check.FirstContact;
import io.lmssync.source.Stream;
import io.lmssync.sync.StreamStats;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.Deletions;
import io.lmssync.sync.SourceRuns;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;

/** A stream's MBean: read live from the runs, the cursor and the database; operations through the routes. */
final class StreamView implements StreamMBean {

    /** A run as the MBean shows it. */
    private record RunView(String start, String end, String status, String error, long fetched, long inserted,
            long updated, long unchanged, long deleted, long deadLettered, long older, long requests,
            long rateLimited, int windowsDone, int windowsTotal) {

        static final RunView NONE = new RunView("", "", "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        static RunView of(SyncRun run) {
            return new RunView(run.startedAt().toString(), run.endedAt() == null ? "" : run.endedAt().toString(),
                    run.status().name().toLowerCase(Locale.ROOT), run.error() == null ? "" : run.error(),
                    run.fetched(), run.inserted(), run.updated(), run.unchanged(), run.deleted(), run.deadLettered(),
                    run.older(), run.requests(), run.rateLimited(), run.windowsDone(), run.windowsTotal());
        }
    }

    private final Stream declared;
    private final String source;
    private final String stream;
    private final boolean windowed;
    private final SyncRuns runs;
    private final SourceRuns sourceRuns;
    private final SyncWindows windows;
    private final Deletions deletions;
    private final FirstContact firstContact;
    private final DataSource dataSource;
    private final Clock clock;

    StreamView(Stream declared, SyncRuns runs, SourceRuns sourceRuns, SyncWindows windows, Deletions deletions,
            FirstContact firstContact, DataSource dataSource, Clock clock) {
        this.declared = declared;
        this.deletions = deletions;
        this.firstContact = firstContact;
        this.source = declared.source();
        this.stream = declared.id();
        this.windowed = declared.windowed();
        this.runs = runs;
        this.sourceRuns = sourceRuns;
        this.windows = windows;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    private StreamStats stats() {
        return runs.stats(stream);
    }

    private RunView lastRun() {
        SyncRun run = stats().current() != null && stats().current().id() > 0 ? stats().current() : stats().last();
        if (run != null) {
            return RunView.of(run);
        }
        // nothing ran in this process yet: the last run recorded
        return query(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT started_at, ended_at, status, error, fetched, inserted,"
                    + " updated, unchanged, deleted, dead_lettered, older FROM sync_run WHERE stream = ? ORDER BY id DESC"
                    + " FETCH FIRST 1 ROW ONLY")) {
                q.setString(1, stream);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return RunView.NONE;
                    }
                    OffsetDateTime end = rs.getObject(2, OffsetDateTime.class);
                    return new RunView(rs.getObject(1, OffsetDateTime.class).toInstant().toString(),
                            end == null ? "" : end.toInstant().toString(), rs.getString(3),
                            rs.getString(4) == null ? "" : rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                            rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), 0, 0, 0, 0);
                }
            }
        });
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Query<T> query) {
        try (Connection c = dataSource.getConnection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the state of " + stream + ": " + e.getMessage());
        }
    }

    private Instant cursor() {
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

    /** Why the stream cannot start a run now, or null. */
    private String busy() {
        if (isPaused()) {
            return stream + " is paused: resume it first";
        }
        if (isRunning()) {
            return stream + " has a run under way";
        }
        return null;
    }

    @Override
    public String runNow() {
        return start("runNow", false);
    }

    @Override
    public String reconcileNow() {
        if (!windowed) {
            throw new IllegalArgumentException(stream + " reads a full snapshot every run: runNow reconciles it");
        }
        return start("reconcileNow", true);
    }

    private String start(String operation, boolean reconcile) {
        if (isPaused()) {
            return stream + " is paused: resume it first";
        }
        boolean running = isRunning();
        audit(operation, "", "");
        sourceRuns.startStream(stream, reconcile ? SyncRun.Mode.RECONCILE : SyncRun.Mode.SYNC);
        String what = reconcile ? "a reconciliation of " + stream : "a run of " + stream;
        return running ? stream + " has a run under way: " + what + " follows it" : what + " started";
    }

    @Override
    public String applyHeldDeletions() {
        String busy = busy();
        if (busy != null) {
            return busy;
        }
        long held = getHeldDeletions();
        if (held == 0) {
            return stream + " holds no deletions";
        }
        Exchange done = sourceRuns.runStream(stream, SyncRun.Mode.APPLY);
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String outcome = run == null ? "not run: " + stream + " is busy" : run.summary();
        audit("applyHeldDeletions", held + " held", outcome);
        return outcome;
    }

    @Override
    public String pause() {
        try {
            Caller caller = Caller.current();
            runs.control().setPaused(stream, true, caller.channel(), caller.who());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot pause " + stream + ": " + e.getMessage());
        }
        return stream + " is paused" + (isRunning() ? "; the run under way finishes" : "");
    }

    @Override
    public String resume() {
        try {
            Caller caller = Caller.current();
            runs.control().setPaused(stream, false, caller.channel(), caller.who());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot resume " + stream + ": " + e.getMessage());
        }
        return stream + " runs again on its schedule";
    }

    @Override
    public String resetCursor(String isoInstant) {
        if (!windowed) {
            throw new IllegalArgumentException(stream + " reads a full snapshot every run: it has no cursor to reset");
        }
        Instant position;
        try {
            position = Instant.parse(isoInstant == null ? "" : isoInstant.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + isoInstant
                    + "' (write it as 2026-01-01T00:00:00Z)");
        }
        if (isRunning()) {
            throw new IllegalStateException(stream + " has a run under way: reset its cursor when it has ended");
        }
        Instant old = cursor();
        try {
            windows.resetCursor(stream, position);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the cursor of " + stream + ": " + e.getMessage());
        }
        audit("resetCursor", old == null ? "" : old.toString(), position.toString());
        return "the cursor of " + stream + " moved from " + (old == null ? "none" : old) + " to " + position;
    }

    @Override
    public String retryDeadLetters() {
        return runAudited("retryDeadLetters", SyncRun.Mode.REPLAY);
    }

    @Override
    public String replayArchive() {
        return runAudited("replayArchive", SyncRun.Mode.REMAP);
    }

    /** A run of the stream in the mode, now, on this thread, audited with its summary. */
    private String runAudited(String operation, SyncRun.Mode mode) {
        String busy = busy();
        if (busy != null) {
            return busy;
        }
        Exchange done = sourceRuns.runStream(stream, mode);
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String outcome = run == null ? "not run: " + stream + " is busy" : run.summary();
        audit(operation, "", outcome);
        return outcome;
    }

    @Override
    public String check() {
        try {
            CheckReport report = firstContact.check(List.of(stream));
            String problems = report.summary(stream);
            return stream + ": check " + report.byStream().getOrDefault(stream, Check.Outcome.OK).label() + " ("
                    + report.of(stream).size() + " checks, " + report.requests() + " request(s))"
                    + (problems.isEmpty() ? "" : ": " + Redaction.redact(problems));
        } catch (Exception e) {
            throw new IllegalStateException("cannot check " + stream + ": " + Redaction.redact(e.getMessage()));
        }
    }

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

    @Override
    public String overrideCheck() {
        try {
            firstContact.override(stream, runs.control().node());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot override the check of " + stream + ": " + e.getMessage());
        }
        audit("overrideCheck", "", "first sync allowed although its check failed");
        return stream + " may start its first sync although its first-contact check failed";
    }

    private void audit(String operation, String oldValue, String newValue) {
        try {
            Caller caller = Caller.current();
            runs.control().audit(stream, operation, oldValue, newValue, caller.channel(), caller.who());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record " + operation + " of " + stream + ": " + e.getMessage());
        }
    }
}

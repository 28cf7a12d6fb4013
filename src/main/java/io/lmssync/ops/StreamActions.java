package io.lmssync.ops;

import io.lmssync.check.Check;
import io.lmssync.check.CheckReport;
import io.lmssync.check.FirstContact;
import io.lmssync.sync.SourceRuns;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What an operator does to one stream, through its MBean, Jolokia or the command line: each action is recorded in
 * control_audit with who asked and through what channel ({@link Caller}). It decides from what the stream's
 * {@link StreamView} reads (paused, running, held deletions, cursor), so an action and the page agree.
 */
final class StreamActions {

    private final StreamView view;
    private final String stream;
    private final SyncRuns runs;
    private final SourceRuns sourceRuns;
    private final SyncWindows windows;
    private final FirstContact firstContact;

    StreamActions(StreamView view, SyncRuns runs, SourceRuns sourceRuns, SyncWindows windows,
            FirstContact firstContact) {
        this.view = view;
        this.stream = view.getStream();
        this.runs = runs;
        this.sourceRuns = sourceRuns;
        this.windows = windows;
        this.firstContact = firstContact;
    }

    /** Why the stream cannot start a run now, or null. */
    private String busy() {
        if (view.isPaused()) {
            return stream + " is paused: resume it first";
        }
        if (view.isRunning()) {
            return stream + " has a run under way";
        }
        return null;
    }

    String runNow() {
        return start("runNow", false);
    }

    String reconcileNow() {
        if (!view.windowed()) {
            throw new IllegalArgumentException(stream + " reads a full snapshot every run: runNow reconciles it");
        }
        return start("reconcileNow", true);
    }

    private String start(String operation, boolean reconcile) {
        if (view.isPaused()) {
            return stream + " is paused: resume it first";
        }
        boolean running = view.isRunning();
        audit(operation, "", "");
        sourceRuns.startStream(stream, reconcile ? SyncRun.Mode.RECONCILE : SyncRun.Mode.SYNC);
        String what = reconcile ? "a reconciliation of " + stream : "a run of " + stream;
        return running ? stream + " has a run under way: " + what + " follows it" : what + " started";
    }

    String applyHeldDeletions() {
        String busy = busy();
        if (busy != null) {
            return busy;
        }
        long held = view.getHeldDeletions();
        if (held == 0) {
            return stream + " holds no deletions";
        }
        Exchange done = sourceRuns.runStream(stream, SyncRun.Mode.APPLY);
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String outcome = run == null ? "not run: " + stream + " is busy" : run.summary();
        audit("applyHeldDeletions", held + " held", outcome);
        return outcome;
    }

    String pause() {
        try {
            Caller caller = Caller.current();
            runs.control().setPaused(stream, true, caller.channel(), caller.who());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot pause " + stream + ": " + e.getMessage());
        }
        return stream + " is paused" + (view.isRunning() ? "; the run under way finishes" : "");
    }

    String resume() {
        try {
            Caller caller = Caller.current();
            runs.control().setPaused(stream, false, caller.channel(), caller.who());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot resume " + stream + ": " + e.getMessage());
        }
        return stream + " runs again on its schedule";
    }

    String resetCursor(String isoInstant) {
        if (!view.windowed()) {
            throw new IllegalArgumentException(stream + " reads a full snapshot every run: it has no cursor to reset");
        }
        Instant position;
        try {
            position = Instant.parse(isoInstant == null ? "" : isoInstant.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + isoInstant
                    + "' (write it as 2026-01-01T00:00:00Z)");
        }
        if (view.isRunning()) {
            throw new IllegalStateException(stream + " has a run under way: reset its cursor when it has ended");
        }
        Instant old = view.cursor();
        try {
            windows.resetCursor(stream, position);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the cursor of " + stream + ": " + e.getMessage());
        }
        audit("resetCursor", old == null ? "" : old.toString(), position.toString());
        return "the cursor of " + stream + " moved from " + (old == null ? "none" : old) + " to " + position;
    }

    String retryDeadLetters() {
        return runAudited("retryDeadLetters", SyncRun.Mode.REPLAY);
    }

    String replayArchive() {
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

    String check() {
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

    String overrideCheck() {
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

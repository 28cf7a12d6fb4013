package io.lmssync.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.check.CheckStore;
import io.lmssync.record.Json;
import io.lmssync.source.RateBudget;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the status page shows, as the JSON of /observe/status.json: per stream its state, last run and last success,
 * next runs, recent runs, cursor lag, backfill progress, held deletions and backlogs; per account its budget in use and
 * pause; the latest operator actions, with who ran each and through what. Every text a vendor or an operator could
 * have put there (run errors, dead-letter reasons, audit values) goes through {@link Redaction}: the page is for
 * whoever reaches the management port, and names no secret and no learner.
 */
final class StatusReport {

    /** Runs in each stream's chart. */
    static final int RECENT_RUNS = 20;
    private static final int REASONS = 5;
    private static final int AUDIT = 15;
    /** A dead-letter reason or an audit value beyond this is cut: the page is an overview. */
    private static final int LONGEST_TEXT = 300;

    private final List<StreamView> streams;
    private final Collection<RateBudget> accounts;
    private final StatusQueries queries;
    private final NextFire schedules;
    private final CheckStore checks;
    private final Clock clock;

    StatusReport(List<StreamView> streams, Collection<RateBudget> accounts, StatusQueries queries, NextFire schedules,
            CheckStore checks, Clock clock) {
        this.streams = List.copyOf(streams);
        this.accounts = List.copyOf(accounts);
        this.queries = queries;
        this.schedules = schedules;
        this.checks = checks;
        this.clock = clock;
    }

    ObjectNode read() throws SQLException {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("generated_at", clock.instant().toString());
        ArrayNode streamNodes = status.putArray("streams");
        for (StreamView view : streams) {
            streamNodes.add(stream(view));
        }
        ArrayNode accountNodes = status.putArray("accounts");
        for (RateBudget budget : accounts) {
            accountNodes.add(account(budget));
        }
        ArrayNode audit = status.putArray("audit");
        for (StatusQueries.Audit entry : queries.recentAudit(AUDIT)) {
            audit.addObject().put("at", text(entry.at())).put("stream", entry.stream())
                    .put("operation", entry.operation()).put("old_value", shown(entry.oldValue()))
                    .put("new_value", shown(entry.newValue())).put("node", entry.node())
                    .put("caller", shown(entry.caller())).put("channel", entry.channel());
        }
        return status;
    }

    private ObjectNode stream(StreamView view) throws SQLException {
        String stream = view.getStream();
        long held = view.getHeldDeletions();
        long failedInARow = queries.failedInARow(stream);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("stream", stream).put("source", view.getSource())
                .put("state", state(view, held)).put("running", view.isRunning()).put("paused", view.isPaused());
        node.putObject("last_run").put("started_at", blankAsNull(view.getLastRunStart()))
                .put("ended_at", blankAsNull(view.getLastRunEnd())).put("status", blankAsNull(view.getLastRunStatus()))
                .put("error", shown(blankAsNull(view.getLastRunError())));
        node.put("last_success", text(queries.lastSuccess(stream)));
        node.put("failed_in_a_row", failedInARow);
        node.put("next_run", text(schedules.next(view.syncJob())));
        node.put("next_reconcile", view.windowed() ? text(schedules.next(view.reconcileJob())) : null);
        progress(node, view);
        node.put("held_deletions", held);
        backlog(node, stream);
        check(node, stream);
        recentRuns(node, stream);
        return node;
    }

    /** How far the stream is: its cursor, its lag, and its backfill's windows. */
    private void progress(ObjectNode node, StreamView view) throws SQLException {
        node.put("cursor", blankAsNull(view.getCursor()));
        long lag = view.getLagSeconds();
        if (lag >= 0) {
            node.put("lag_seconds", lag);
        } else {
            node.putNull("lag_seconds");
        }
        // a run under way here: the windows it planned; else the ledger, whichever node wrote it
        if (view.isRunning() && view.getBackfillWindowsTotal() > 0) {
            node.putObject("backfill").put("windows_done", view.getBackfillWindowsDone())
                    .put("windows_total", view.getBackfillWindowsTotal()).put("of", "this run");
        } else {
            StatusQueries.Windows windows = queries.windows(view.getStream());
            node.putObject("backfill").put("windows_done", windows.done()).put("windows_total", windows.recorded())
                    .put("of", "the ledger");
        }
    }

    /** What waits: dead letters with their most common reasons, and completions without a Thrive mapping. */
    private void backlog(ObjectNode node, String stream) throws SQLException {
        node.put("dead_letters", queries.deadLetters(stream));
        ArrayNode reasons = node.putArray("dead_letter_reasons");
        for (StatusQueries.Reason reason : queries.deadLetterReasons(stream, REASONS)) {
            reasons.addObject().put("reason", shown(reason.reason())).put("count", reason.count());
        }
        node.put("thrive_pending", queries.thrivePending(stream));
    }

    /** The stream's last first-contact check, or null before one. */
    private void check(ObjectNode node, String stream) throws SQLException {
        Optional<CheckStore.Stored> check = checks.last(stream);
        if (check.isPresent()) {
            CheckStore.Stored c = check.get();
            node.putObject("check").put("checked_at", text(c.at()))
                    .put("outcome", c.outcome() == null ? null : c.outcome().label())
                    .put("summary", shown(blankAsNull(c.summary()))).put("overridden", c.overridden());
        } else {
            node.putNull("check");
        }
    }

    /** The stream's last {@link #RECENT_RUNS} runs, for its chart. */
    private void recentRuns(ObjectNode node, String stream) throws SQLException {
        ArrayNode runs = node.putArray("recent_runs");
        for (StatusQueries.Run run : queries.recentRuns(stream, RECENT_RUNS)) {
            runs.addObject().put("id", run.id()).put("started_at", text(run.startedAt()))
                    .put("ended_at", text(run.endedAt())).put("mode", run.mode()).put("status", run.status())
                    .put("fetched", run.fetched()).put("inserted", run.inserted()).put("updated", run.updated())
                    .put("unchanged", run.unchanged()).put("deleted", run.deleted())
                    .put("dead_lettered", run.deadLettered()).put("error", shown(run.error()));
        }
    }

    /** One word for the stream, the most pressing first: running, paused, failing, held (deletions), ok. */
    private static String state(StreamView view, long held) {
        if (view.isRunning()) {
            return "running";
        }
        if (view.isPaused()) {
            return "paused";
        }
        if ("failed".equals(view.getLastRunStatus())) {
            return "failing";
        }
        return held > 0 ? "held" : "ok";
    }

    private ObjectNode account(RateBudget budget) throws SQLException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("account", budget.account()).put("budget", budget.perPeriod())
                .put("period_seconds", budget.period().toMillis() / 1000.0)
                .put("in_window", budget.requestsInWindow()).put("other_clients", budget.otherClientsInWindow());
        if (budget.perPeriod() > 0) {
            node.put("used_ratio", (double) AccountMetrics.used(budget) / budget.perPeriod());
        } else {
            node.putNull("used_ratio");
        }
        Duration left = budget.pausedFor();
        node.put("paused_until", left.isNegative() || left.isZero() ? null : budget.pausedUntil().toString());
        return node;
    }

    private static String shown(String text) {
        if (text == null) {
            return null;
        }
        String redacted = Redaction.redact(text);
        return redacted.length() <= LONGEST_TEXT ? redacted : redacted.substring(0, LONGEST_TEXT) + "…";
    }

    private static String blankAsNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }
}

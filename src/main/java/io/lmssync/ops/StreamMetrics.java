package io.lmssync.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Per-stream meters for /observe/metrics, read when scraped, each tagged with vendor and stream. Counted by this
 * process since it started: {@code lms_sync_records_total{outcome=...}}, {@code lms_sync_runs_total},
 * {@code lms_sync_failed_runs_total}, {@code lms_sync_requests_total}, {@code lms_sync_rate_limited_total}. Read from
 * the database (every node's runs): {@code lms_sync_paused}, {@code lms_sync_last_run_failed},
 * {@code lms_sync_held_deletions}, {@code lms_sync_cursor_lag_seconds} (windowed streams),
 * {@code lms_sync_last_success_timestamp_seconds} with {@code lms_sync_has_succeeded},
 * {@code lms_sync_failed_runs_in_a_row}, the backlogs {@code lms_sync_dead_letters} and
 * {@code lms_sync_thrive_pending}; and from Quartz
 * {@code lms_sync_next_run_timestamp_seconds{schedule=sync|reconcile}} and
 * {@code lms_sync_schedule_interval_seconds{schedule=sync}}. Every one reads a number: "never" is a meter
 * of its own, not NaN or -1, and a read that fails keeps the last value ({@link HeldReadings}).
 */
final class StreamMetrics {

    private StreamMetrics() {
    }

    static void bind(MeterRegistry registry, HeldReadings held, List<StreamView> streams, StatusQueries queries,
            NextFire schedules) {
        for (StreamView view : streams) {
            Tags tags = Tags.of("source", view.getSource(), "stream", view.getStream());
            counters(registry, tags, view);
            state(held, tags, view);
            backlog(held, tags, view.getStream(), queries);
            schedules(held, tags, view, schedules);
        }
    }

    /** What this process's runs of the stream counted since it started. */
    private static void counters(MeterRegistry registry, Tags tags, StreamView view) {
        String records = "records of the stream's runs by what became of them (this process, since it started):"
                + " fetched = inserted + updated + unchanged + dead_lettered; deleted are tombstones";
        // one series an outcome, in the order the description adds them up
        Map<String, ToDoubleFunction<StreamView>> outcomes = new LinkedHashMap<>();
        outcomes.put("fetched", StreamView::getTotalFetched);
        outcomes.put("inserted", StreamView::getTotalInserted);
        outcomes.put("updated", StreamView::getTotalUpdated);
        outcomes.put("unchanged", StreamView::getTotalUnchanged);
        outcomes.put("deleted", StreamView::getTotalDeleted);
        outcomes.put("dead_lettered", StreamView::getTotalDeadLettered);
        outcomes.forEach((outcome, total) -> counter(registry, "lms.sync.records", records,
                tags.and("outcome", outcome), view, total));
        counter(registry, "lms.sync.runs", "runs of the stream this process ended, of every mode", tags, view,
                StreamView::getTotalRuns);
        counter(registry, "lms.sync.failed.runs", "runs of the stream this process ended that failed", tags, view,
                StreamView::getTotalFailedRuns);
        counter(registry, "lms.sync.requests", "requests the stream's runs sent to the vendor (this process)",
                tags, view, StreamView::getTotalRequests);
        counter(registry, "lms.sync.rate.limited", "429 answers the stream's runs received (this process)", tags,
                view, StreamView::getTotalRateLimited);
    }

    /** The stream's state, every node's: paused, its last run failed, deletions held, how far behind its cursor is. */
    private static void state(HeldReadings held, Tags tags, StreamView view) {
        held.gauge("lms.sync.paused", tags, "1 while an operator has the stream paused (every node), else 0",
                () -> view.isPaused() ? 1 : 0);
        held.gauge("lms.sync.last.run.failed", tags, "1 when the stream's last run (any node's) failed, else 0",
                () -> "failed".equals(view.getLastRunStatus()) ? 1 : 0);
        held.gauge("lms.sync.held.deletions", tags,
                "deletions a full pull held for an operator (it looked like an outage)", view::getHeldDeletions);
        if (view.windowed()) {
            held.gauge("lms.sync.cursor.lag.seconds", tags, "seconds between the stream's cursor and now; before"
                    + " its first window is done, since the start of the vendor's history", view::cursorLagSeconds);
        }
    }

    /** Since when the stream has not succeeded, and what waits: dead letters, completions without a Thrive mapping. */
    private static void backlog(HeldReadings held, Tags tags, String stream, StatusQueries queries) {
        held.gauge("lms.sync.last.success.timestamp.seconds", tags, "when the stream's last sync or"
                + " reconciliation that succeeded ended, any node's (Unix seconds; 0 while lms_sync_has_succeeded"
                + " is 0)", () -> queries.lastSuccess(stream).map(StreamMetrics::seconds).orElse(0.0));
        held.gauge("lms.sync.has.succeeded", tags, "1 once a sync or reconciliation of the stream succeeded"
                + " (lms_sync_last_success_timestamp_seconds says when), 0 before",
                () -> queries.lastSuccess(stream).isPresent() ? 1 : 0);
        held.gauge("lms.sync.failed.runs.in.a.row", tags,
                "syncs and reconciliations (any node's) failed since the last that succeeded",
                () -> queries.failedInARow(stream));
        held.gauge("lms.sync.dead.letters", tags,
                "dead letters waiting: objects that did not map, records Thrive refused",
                () -> queries.deadLetters(stream));
        held.gauge("lms.sync.thrive.pending", tags, "completions waiting for a Thrive mapping",
                () -> queries.thrivePending(stream));
    }

    /** From Quartz: when the stream's schedules fire next, and the longest wait between two of its syncs. */
    private static void schedules(HeldReadings held, Tags tags, StreamView view, NextFire schedules) {
        nextRun(held, tags.and("schedule", "sync"), schedules, view.syncJob());
        if (view.windowed()) {
            nextRun(held, tags.and("schedule", "reconcile"), schedules, view.reconcileJob());
        }
        // the schedule is the settings', fixed at start: no gauge for one that fires once or never in a week
        schedules.longestGap(view.syncJob()).ifPresent(gap -> held.gauge("lms.sync.schedule.interval.seconds",
                tags.and("schedule", "sync"), "the longest wait between two firings of the stream's schedule in"
                        + " a week (seconds): what alerts measure a late success against", gap::toSeconds));
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /**
     * When the job fires next: no gauge for a schedule that has no next firing at start (never a 0 for "none"), and
     * while Quartz cannot say (a clustered job store's database away) the last value it said.
     */
    private static void nextRun(HeldReadings held, Tags tags, NextFire schedules, String job) {
        if (schedules.next(job).isPresent()) {
            held.gauge("lms.sync.next.run.timestamp.seconds", tags, "when the stream's schedule fires next (Unix"
                    + " seconds)", () -> schedules.next(job).map(StreamMetrics::seconds).orElse(Double.NaN));
        }
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags, StreamView view,
            ToDoubleFunction<StreamView> value) {
        FunctionCounter.builder(name, view, value).tags(tags).description(description).register(registry);
    }
}

package io.lmssync.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Per-stream counters and gauges for /observe/metrics, read from the stream views when scraped:
 * {@code lms_sync_records_total{outcome=fetched|inserted|updated|unchanged|deleted|dead_lettered}},
 * {@code lms_sync_runs_total}, {@code lms_sync_failed_runs_total}, {@code lms_sync_requests_total},
 * {@code lms_sync_rate_limited_total}, {@code lms_sync_cursor_lag_seconds}, {@code lms_sync_paused},
 * {@code lms_sync_last_run_failed}, {@code lms_sync_held_deletions}; for alerts, from the database (every node's runs):
 * {@code lms_sync_last_success_timestamp_seconds}, {@code lms_sync_failed_runs_in_a_row}, the backlogs
 * {@code lms_sync_dead_letters} and {@code lms_sync_thrive_pending}; and from Quartz
 * {@code lms_sync_next_run_timestamp_seconds{schedule=sync|reconcile}}. Each tagged with vendor and stream.
 */
final class StreamMetrics {

    private StreamMetrics() {
    }

    static void bind(MeterRegistry registry, List<StreamView> streams, StatusQueries queries, NextFire schedules) {
        for (StreamView view : streams) {
            Tags tags = Tags.of("vendor", view.getVendor(), "stream", view.getStream());
            counter(registry, "lms.sync.records", tags.and("outcome", "fetched"), view, StreamView::getTotalFetched);
            counter(registry, "lms.sync.records", tags.and("outcome", "inserted"), view, StreamView::getTotalInserted);
            counter(registry, "lms.sync.records", tags.and("outcome", "updated"), view, StreamView::getTotalUpdated);
            counter(registry, "lms.sync.records", tags.and("outcome", "unchanged"), view, StreamView::getTotalUnchanged);
            counter(registry, "lms.sync.records", tags.and("outcome", "deleted"), view, StreamView::getTotalDeleted);
            counter(registry, "lms.sync.records", tags.and("outcome", "dead_lettered"), view,
                    StreamView::getTotalDeadLettered);
            counter(registry, "lms.sync.runs", tags, view, StreamView::getTotalRuns);
            counter(registry, "lms.sync.failed.runs", tags, view, StreamView::getTotalFailedRuns);
            counter(registry, "lms.sync.requests", tags, view, StreamView::getTotalRequests);
            counter(registry, "lms.sync.rate.limited", tags, view, StreamView::getTotalRateLimited);
            Gauge.builder("lms.sync.cursor.lag.seconds", view, StreamView::getLagSeconds).tags(tags)
                    .description("seconds between the stream's cursor and now; -1 without a cursor").register(registry);
            Gauge.builder("lms.sync.paused", view, v -> v.isPaused() ? 1 : 0).tags(tags).register(registry);
            Gauge.builder("lms.sync.held.deletions", view, StreamView::getHeldDeletions).tags(tags)
                    .description("deletions a full pull held for an operator (it looked like an outage)")
                    .register(registry);
            Gauge.builder("lms.sync.last.run.failed", view, v -> "failed".equals(v.getLastRunStatus()) ? 1 : 0)
                    .tags(tags).register(registry);
            String stream = view.getStream();
            // Micrometer holds a gauge's object weakly: these are held strongly, whoever else keeps them
            Gauge.builder("lms.sync.last.success.timestamp.seconds", queries,
                            q -> read(() -> q.lastSuccess(stream).map(StreamMetrics::seconds).orElse(Double.NaN)))
                    .tags(tags).strongReference(true)
                    .description("when the stream's last sync or reconciliation that succeeded ended (epoch seconds;"
                            + " NaN: none on record)").register(registry);
            Gauge.builder("lms.sync.failed.runs.in.a.row", queries, q -> read(() -> q.failedInARow(stream)))
                    .tags(tags).strongReference(true)
                    .description("syncs and reconciliations failed since the last that succeeded").register(registry);
            Gauge.builder("lms.sync.dead.letters", queries, q -> read(() -> q.deadLetters(stream)))
                    .tags(tags).strongReference(true)
                    .description("dead letters waiting: objects that did not map, records Thrive refused")
                    .register(registry);
            Gauge.builder("lms.sync.thrive.pending", queries, q -> read(() -> q.thrivePending(stream)))
                    .tags(tags).strongReference(true)
                    .description("completions waiting for a Thrive mapping").register(registry);
            String source = view.getVendor();
            Gauge.builder("lms.sync.next.run.timestamp.seconds", schedules,
                            s -> s.sync(source).map(StreamMetrics::seconds).orElse(Double.NaN))
                    .tags(tags.and("schedule", "sync")).strongReference(true)
                    .description("when the stream's schedule fires next (epoch seconds)").register(registry);
            if (view.windowed()) {
                Gauge.builder("lms.sync.next.run.timestamp.seconds", schedules,
                                s -> s.reconcile(source).map(StreamMetrics::seconds).orElse(Double.NaN))
                        .tags(tags.and("schedule", "reconcile")).strongReference(true).register(registry);
            }
        }
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /** A number read from the database. */
    private interface Reading {
        double get() throws SQLException;
    }

    private static double read(Reading reading) {
        try {
            return reading.get();
        } catch (SQLException e) {
            return Double.NaN; // the database is away: the scrape still answers
        }
    }

    private static void counter(MeterRegistry registry, String name, Tags tags, StreamView view,
            ToDoubleFunction<StreamView> value) {
        FunctionCounter.builder(name, view, value).tags(tags).register(registry);
    }
}

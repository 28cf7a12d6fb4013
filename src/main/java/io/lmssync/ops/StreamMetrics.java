package io.lmssync.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Per-stream counters and gauges for /observe/metrics, read from the stream views when scraped:
 * {@code lms_sync_records_total{outcome=fetched|inserted|updated|unchanged|deleted|dead_lettered}},
 * {@code lms_sync_runs_total}, {@code lms_sync_failed_runs_total}, {@code lms_sync_requests_total},
 * {@code lms_sync_rate_limited_total}, {@code lms_sync_cursor_lag_seconds}, {@code lms_sync_paused},
 * {@code lms_sync_last_run_failed}, {@code lms_sync_held_deletions}; each tagged with vendor and stream.
 */
final class StreamMetrics {

    private StreamMetrics() {
    }

    static void bind(MeterRegistry registry, List<StreamView> streams) {
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
        }
    }

    private static void counter(MeterRegistry registry, String name, Tags tags, StreamView view,
            ToDoubleFunction<StreamView> value) {
        FunctionCounter.builder(name, view, value).tags(tags).register(registry);
    }
}

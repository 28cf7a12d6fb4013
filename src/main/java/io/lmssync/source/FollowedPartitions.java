package io.lmssync.source;

import io.lmssync.record.LearningRecord;
import io.lmssync.sync.FollowUps;
import io.lmssync.sync.Partitions;
import io.lmssync.sync.SyncRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * The partitions a child stream reads: those its parent stream handed over ({@link FollowUps}), each a key of
 * {@code /}-separated ids that fill the path's segments in order ({@code userId/courseId/...} into
 * {@code /users/{userId}/enrollments/{courseId}/lessons}). A sync reads the pending ones, a reconciliation all; a
 * partition is done once its records are in every sink.
 */
public final class FollowedPartitions implements Partitioning {

    /** The keys a run read, with when each was handed over: on the run's exchange. */
    private static final String READ = "lmsFollowedPartitions";

    private final FollowUps followUps;
    private final List<String> segments;
    private final Function<LearningRecord, String> keyOf;

    /**
     * @param segments the path's segments a key fills, in order ({@code userId, courseId})
     * @param keyOf    the partition a child record belongs to: the key its parent handed over
     */
    public FollowedPartitions(FollowUps followUps, List<String> segments, Function<LearningRecord, String> keyOf) {
        this.followUps = followUps;
        this.segments = List.copyOf(segments);
        this.keyOf = keyOf;
    }

    @Override
    public Partitions read(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Map<String, Instant> keys = followUps.partitions(run.stream(), run.mode() == SyncRun.Mode.RECONCILE);
        exchange.setProperty(READ, keys);
        return new Partitions(List.copyOf(keys.keySet()), keyOf);
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public void place(Uri uri, List<String> batch) {
        if (batch.isEmpty()) {
            return;
        }
        String[] ids = batch.get(0).split("/", -1);
        for (int i = 0; i < segments.size() && i < ids.length; i++) {
            uri.segment(segments.get(i), ids[i]);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void scanned(Exchange exchange, List<String> batch) throws Exception {
        Map<String, Instant> read = exchange.getProperty(READ, Map.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        followUps.read(run.stream(), batch.get(0), read.get(batch.get(0)));
    }
}

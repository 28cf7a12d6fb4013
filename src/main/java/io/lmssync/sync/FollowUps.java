package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What parent streams hand their child streams ({@code follow_up}): when a record of a parent stream reaches every
 * sink new or changed (an Absorb course enrollment), each child stream (its lessons, chapters, sessions) gets the
 * partition the record names, pending, in the same transaction as the record index; a deleted parent takes its
 * partitions back. A child run reads its pending partitions (a reconciliation: all of them) and marks each read once
 * its records are in every sink, so a run that fails leaves the rest pending, and a parent that did not change costs
 * its children no request.
 */
public final class FollowUps {

    /** A child stream, and the partition a parent record hands it (null: none). */
    public record Follower(String stream, Function<LearningRecord, String> keyOf) {
    }

    private static final String QUEUE = """
            MERGE INTO follow_up t
            USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(1024)), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                  s(stream, partition_key, queued_at)
            ON t.stream = s.stream AND t.partition_key = s.partition_key
            WHEN MATCHED THEN UPDATE SET pending = TRUE, queued_at = s.queued_at
            WHEN NOT MATCHED THEN INSERT (stream, partition_key, pending, queued_at)
                                  VALUES (s.stream, s.partition_key, TRUE, s.queued_at)
            """;

    private final DataSource dataSource;
    private final Clock clock;
    private final Map<String, List<Follower>> byParent = new ConcurrentHashMap<>();

    public FollowUps(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * The child stream reads a partition for each record of the parent stream that reaches the sinks new or
     * changed: the one {@code keyOf} names (null for none).
     */
    public void follow(String parentStream, String childStream, Function<LearningRecord, String> keyOf) {
        byParent.computeIfAbsent(parentStream, p -> new CopyOnWriteArrayList<>()).add(new Follower(childStream, keyOf));
    }

    /** The streams that follow a parent stream's changes (none when it has no children). */
    public List<Follower> followers(String parentStream) {
        return List.copyOf(byParent.getOrDefault(parentStream, List.of()));
    }

    /** Hands the children of a parent stream's delivered records their partitions, in the chunk's transaction. */
    void handOver(Connection c, String stream, Collection<LearningRecord> delivered) throws SQLException {
        List<Follower> followers = byParent.get(stream);
        if (followers == null || delivered.isEmpty()) {
            return;
        }
        List<String[]> queued = new ArrayList<>();
        List<String[]> dropped = new ArrayList<>();
        for (LearningRecord record : delivered) {
            for (Follower follower : followers) {
                String key = follower.keyOf().apply(record);
                if (key != null) {
                    (record.isDeleted() ? dropped : queued).add(new String[] {follower.stream(), key});
                }
            }
        }
        OffsetDateTime now = clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        JdbcBatch.batch(c, QUEUE, queued, (merge, f) -> {
            merge.setString(1, f[0]);
            merge.setString(2, f[1]);
            merge.setObject(3, now);
        });
        JdbcBatch.batch(c, "DELETE FROM follow_up WHERE stream = ? AND partition_key = ?", dropped, (delete, f) -> {
            delete.setString(1, f[0]);
            delete.setString(2, f[1]);
        });
    }

    /** A child stream's partitions, oldest first, with when each was handed over: the pending ones, or all. */
    public Map<String, Instant> partitions(String stream, boolean all) throws SQLException {
        Map<String, Instant> keys = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT partition_key, queued_at FROM follow_up WHERE stream = ?" + (all ? "" : " AND pending")
                        + " ORDER BY queued_at, partition_key")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        }
        return keys;
    }

    /** A partition's records are in every sink: no longer pending, unless it was handed over again since. */
    public void read(String stream, String key, Instant queuedAt) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE follow_up SET pending = FALSE WHERE stream = ? AND partition_key = ? AND queued_at = ?")) {
            update.setString(1, stream);
            update.setString(2, key);
            update.setObject(3, queuedAt.atOffset(ZoneOffset.UTC));
            update.executeUpdate();
        }
    }
}

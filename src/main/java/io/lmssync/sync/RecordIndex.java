package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;
import org.apache.camel.Exchange;

/**
 * What every sink holds, by record_id: the content hash, whether it is deleted, and the last run that saw it. It
 * decides which records of a chunk the sinks still need ({@link #plan}), is written only after every sink committed
 * the chunk ({@link #commit}), and tells which records a complete snapshot no longer holds ({@link #tombstones}).
 */
public final class RecordIndex {

    /** What the index knew of a record. */
    record Known(String contentHash, boolean deleted) {
    }

    /** What delivering a chunk changes: the records to deliver, the index rows to write, and the counts. */
    record Plan(List<LearningRecord> toDeliver, Map<String, Known> after, long inserted, long updated, long unchanged,
            long deleted) {
    }

    private static final String MERGE = """
            MERGE INTO record_index t
            USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(64)),
                           CAST(? AS BOOLEAN), CAST(? AS BIGINT))) s(record_id, stream, content_hash, is_deleted, seen_run)
            ON t.record_id = s.record_id
            WHEN MATCHED THEN UPDATE SET stream = s.stream, content_hash = s.content_hash,
                                         is_deleted = s.is_deleted, seen_run = s.seen_run, updated_at = CURRENT_TIMESTAMP
            WHEN NOT MATCHED THEN INSERT (record_id, stream, content_hash, is_deleted, seen_run, updated_at)
                                  VALUES (s.record_id, s.stream, s.content_hash, s.is_deleted, s.seen_run, CURRENT_TIMESTAMP)
            """;

    private static final String GONE = """
            SELECT record_id FROM record_index
            WHERE stream = ? AND is_deleted = FALSE AND seen_run <> ? AND updated_at < ? AND record_id > ?
            ORDER BY record_id FETCH FIRST ? ROWS ONLY
            """;

    private final DataSource dataSource;
    private final int chunkSize;

    public RecordIndex(DataSource dataSource, int chunkSize) {
        this.dataSource = dataSource;
        this.chunkSize = chunkSize;
    }

    /**
     * Sorts the chunk's records into new, changed, deleted and unchanged against what the sinks hold. A record_id
     * that appears twice in one chunk counts as if the copies came one after the other; the last copy is delivered.
     */
    public void plan(Chunk chunk) throws SQLException {
        Map<String, Known> known = lookup(chunk.records().stream().map(LearningRecord::recordId).distinct().toList());
        Map<String, LearningRecord> toDeliver = new LinkedHashMap<>();
        Map<String, Known> after = new HashMap<>();
        long inserted = 0, updated = 0, unchanged = 0, deleted = 0;
        for (LearningRecord record : chunk.records()) {
            String id = record.recordId();
            Known before = after.containsKey(id) ? after.get(id) : known.get(id);
            if (before == null && record.isDeleted()) {
                continue; // a tombstone for a record no sink holds: nothing to say
            }
            if (before == null) {
                inserted++;
            } else if (before.contentHash().equals(record.contentHash())) {
                unchanged++;
            } else if (record.isDeleted()) {
                deleted++;
            } else {
                updated++;
            }
            if (before == null || !before.contentHash().equals(record.contentHash())) {
                toDeliver.put(id, record);
            }
            after.put(id, new Known(record.contentHash(), record.isDeleted()));
        }
        chunk.plan(new Plan(new ArrayList<>(toDeliver.values()), after, inserted, updated, unchanged, deleted));
    }

    /** Remembers what the chunk held, once every sink committed it, and adds its counts to the run. */
    public void commit(Chunk chunk) throws SQLException {
        Plan plan = chunk.plan();
        SyncRun run = chunk.run();
        JdbcBatch.run(dataSource, MERGE, plan.after().entrySet(), (merge, e) -> {
            merge.setString(1, e.getKey());
            merge.setString(2, run.stream());
            merge.setString(3, e.getValue().contentHash());
            merge.setBoolean(4, e.getValue().deleted());
            merge.setLong(5, run.id());
        });
        run.inserted.addAndGet(plan.inserted());
        run.updated.addAndGet(plan.updated());
        run.unchanged.addAndGet(plan.unchanged());
        run.deleted.addAndGet(plan.deleted());
        run.deadLettered.addAndGet(chunk.deadLetters().size());
    }

    /**
     * Tombstones, in chunks, for the stream's records that the run did not see (and no run touched since it began):
     * called once a full pull (a snapshot, a reconciliation) delivered everything, so only a complete pull deletes.
     */
    public Iterator<Chunk> tombstones(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        return new Iterator<>() {
            private String after = "";
            private List<String> page;

            @Override
            public boolean hasNext() {
                if (page == null) {
                    page = gone(run, after);
                }
                return !page.isEmpty();
            }

            @Override
            public Chunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Chunk chunk = new Chunk(run);
                page.forEach(id -> chunk.add(LearningRecord.tombstone(id, run.tenant(), run.startedAt())));
                after = page.get(page.size() - 1);
                page = null;
                return chunk;
            }
        };
    }

    private List<String> gone(SyncRun run, String after) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(GONE)) {
            q.setString(1, run.stream());
            q.setLong(2, run.id());
            q.setObject(3, run.startedAt().atOffset(java.time.ZoneOffset.UTC));
            q.setString(4, after);
            q.setInt(5, chunkSize);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the record index for " + run.stream() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Known> lookup(Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Collections.emptyMap();
        }
        String sql = "SELECT record_id, content_hash, is_deleted FROM record_index WHERE record_id IN ("
                + JdbcBatch.parameters(ids.size()) + ")";
        Map<String, Known> known = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            int i = 1;
            for (String id : ids) {
                q.setString(i++, id);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), new Known(rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return known;
    }
}

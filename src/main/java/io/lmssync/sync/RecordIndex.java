package io.lmssync.sync;

import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.RecordSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What every sink holds, by record_id: the content hash, whether it is deleted, its version (the vendor's update
 * time, the fetch time), the partition it was read under, and the record as last delivered. It decides which records
 * of a chunk the sinks still need ({@link #plan}): new and changed ones, never a version older than the one held.
 * It is written only after every sink committed the chunk ({@link #commit}), with what the chunk hands its stream's
 * child streams ({@link FollowUps}).
 */
public final class RecordIndex {

    /**
     * What the index knew of a record: with the stream that last wrote it and the hash the raw archive holds for its
     * object in that stream (null when unknown).
     */
    record Known(String contentHash, boolean deleted, Version version, String partition, boolean hasRecord,
            String stream, String rawHash) {
    }

    /** An index row to write: the record as it now stands in the sinks, its partition, and whether the row is new. */
    record Entry(LearningRecord record, String partition, boolean isNew) {
        Known known() {
            return new Known(record.contentHash(), record.isDeleted(), Version.of(record), partition, true, null,
                    null);
        }
    }

    /** What delivering a chunk changes: the records to deliver, the index rows to write, and the counts. */
    record Plan(List<LearningRecord> toDeliver, Collection<Entry> after, long inserted, long updated, long unchanged,
            long deleted, long older) {
    }

    /** A record the index did not hold (the plan looked: a plain insert is cheaper than a merge). */
    private static final String INSERT = """
            INSERT INTO record_index (stream, content_hash, is_deleted, source_updated_at, fetched_at, partition_key,
                                      last_record, raw_hash, record_id, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)
            """;
    private static final String UPDATE = """
            UPDATE record_index SET stream = ?, content_hash = ?, is_deleted = ?, source_updated_at = ?,
                                    fetched_at = ?, partition_key = ?, last_record = ?, raw_hash = ?,
                                    updated_at = CURRENT_TIMESTAMP
            WHERE record_id = ?
            """;

    /** What the sinks hold of a record: its last delivered content (null when not known) and whether it is deleted. */
    public record Held(LearningRecord record, boolean deleted) {
    }

    /** Reads the record a row holds, for a query whose columns the reader names (the jdbc sink's table). */
    public interface RowReader {
        LearningRecord read(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final RecordSchema schema;
    /** Where a record's last content is kept: in the index itself, or (when the jdbc sink holds it) its table. */
    private final String sinkColumns;
    private final RowReader sinkRows;
    private final FollowUps followUps;
    private final RawArchive rawArchive;
    private SinkCatchUp catchUp;

    /** The index keeps each record's last content itself (no jdbc sink holds it). */
    public RecordIndex(DataSource dataSource, Dialect dialect, RecordSchema schema, FollowUps followUps,
            RawArchive rawArchive) {
        this(dataSource, dialect, schema, null, null, followUps, rawArchive);
    }

    /**
     * The jdbc sink's table holds each record's last content (its columns and how to read them): the index keeps
     * only what decides delivery, and a chunk's commit writes half as much.
     */
    public RecordIndex(DataSource dataSource, Dialect dialect, RecordSchema schema, String sinkColumns,
            RowReader sinkRows, FollowUps followUps, RawArchive rawArchive) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schema = schema;
        this.sinkColumns = sinkColumns;
        this.sinkRows = sinkRows;
        this.followUps = followUps;
        this.rawArchive = rawArchive;
    }

    private boolean keepsRecords() {
        return sinkRows == null;
    }

    /**
     * Sorts the chunk's records into new, changed, deleted, unchanged and older against what the sinks hold; a new or
     * changed record that breaks the record schema becomes a dead letter instead. A record_id that appears twice in
     * one chunk counts as if the copies came one after the other.
     */
    public void plan(Chunk chunk) throws SQLException {
        if (chunk.catchUpSink() != null) {
            // what the store holds, for a sink that lacks it: every record goes to that sink, the index stays
            chunk.plan(new Plan(List.copyOf(chunk.records()), List.of(), 0, 0, 0, 0, 0));
            return;
        }
        // an id the index cannot hold (a NUL, past its column) is in no sink: the record schema refuses it below
        Map<String, Known> known = lookup(chunk.records().stream().map(LearningRecord::recordId).distinct()
                .filter(id -> id.equals(ColumnText.of(id, ColumnText.ID))).toList());
        chunk.plan(new ChunkSorter(chunk, known, schema, keepsRecords()).plan());
    }

    /** Remembers what the chunk held, once every sink committed it, and adds its counts to the run. */
    public void commit(Chunk chunk) throws SQLException {
        Plan plan = chunk.plan();
        SyncRun run = chunk.run();
        if (chunk.catchUpSink() != null) {
            JdbcBatch.inTransaction(dataSource, c -> {
                catchUp.caughtUpTo(c, chunk);
                stage(c, chunk);
            });
            run.countCaughtUp(chunk.catchUpSink(), plan.toDeliver().size());
            return;
        }
        // one transaction: the chunk counts as delivered, and its staged files as committed, together
        JdbcBatch.inTransaction(dataSource, c -> {
            write(c, chunk);
            // what the chunk's new and changed records hand their child streams (Absorb's lessons of an enrollment)
            // (a reconciliation hands over every record it read: children a stream switched on later never saw)
            followUps.handOver(c, run.stream(), run.mode() == SyncRun.Mode.RECONCILE ? chunk.records()
                    : plan.toDeliver());
            // the vendor's objects as received: the new and changed ones, and the deleted ones marked
            rawArchive.write(c, chunk);
            // sinks left out of sync.sinks miss what this chunk delivers: they are behind from now on
            if (!plan.toDeliver().isEmpty()) {
                catchUp.missed(c, run.stream());
            }
            stage(c, chunk);
        });
        count(chunk);
    }

    /** The chunk's index rows: the new ones inserted, the changed ones updated, and the archive's hashes learnt. */
    private void write(Connection c, Chunk chunk) throws SQLException {
        Plan plan = chunk.plan();
        String stream = chunk.run().stream();
        Map<String, String> archived = chunk.archivedRawHashes();
        JdbcBatch.Binder<Entry> row = (statement, e) -> {
            LearningRecord r = e.record();
            statement.setString(1, stream);
            statement.setString(2, r.contentHash());
            statement.setBoolean(3, r.isDeleted());
            statement.setObject(4, utc(r.sourceUpdatedInstant()));
            statement.setObject(5, utc(r.fetchedInstant()));
            statement.setString(6, e.partition());
            statement.setString(7, keepsRecords() ? Json.write(r) : null);
            statement.setString(8, r.isDeleted() ? null : archived.get(r.sourceRecordId()));
            statement.setString(9, r.recordId());
        };
        JdbcBatch.batch(c, INSERT, plan.after().stream().filter(Entry::isNew).toList(), row);
        JdbcBatch.batch(c, UPDATE, plan.after().stream().filter(e -> !e.isNew()).toList(), row);
        JdbcBatch.batch(c, "UPDATE record_index SET raw_hash = ? WHERE record_id = ?", learntRawHashes(chunk)
                .entrySet(), (update, e) -> {
                    update.setString(1, e.getValue());
                    update.setString(2, e.getKey());
                });
    }

    /**
     * An unchanged record whose object the archive now holds in another form (a field no mapping reads changed, or
     * the index did not know the hash yet): the index learns the archive's hash, by record_id.
     */
    private static Map<String, String> learntRawHashes(Chunk chunk) {
        Map<String, String> archived = chunk.archivedRawHashes();
        Map<String, String> learnt = new LinkedHashMap<>();
        for (LearningRecord r : chunk.records()) {
            String hash = archived.get(r.sourceRecordId());
            if (hash != null && chunk.indexedRawHashes().containsKey(r.sourceRecordId())
                    && !hash.equals(chunk.indexedRawHashes().get(r.sourceRecordId()))) {
                learnt.put(r.recordId(), hash);
            }
        }
        chunk.plan().after().forEach(e -> learnt.remove(e.record().recordId()));
        return learnt;
    }

    /** Adds what the chunk did to its run's counts. */
    private static void count(Chunk chunk) {
        Plan plan = chunk.plan();
        SyncRun run = chunk.run();
        run.inserted.addAndGet(plan.inserted());
        run.updated.addAndGet(plan.updated());
        run.unchanged.addAndGet(plan.unchanged());
        run.deleted.addAndGet(plan.deleted());
        run.older.addAndGet(plan.older());
        run.deadLettered.addAndGet(chunk.deadLetters().size());
        run.archived.addAndGet(chunk.rawChanges().stream().filter(change -> !change.deleted()).count());
    }

    /** The files sinks staged for the chunk: moved into place after its commit, or at the next start. */
    private static void stage(Connection c, Chunk chunk) throws SQLException {
        JdbcBatch.batch(c, "INSERT INTO staged_file (staged, target, committed_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
                chunk.staged(), (insert, file) -> {
                    insert.setString(1, file.staged());
                    insert.setString(2, file.target());
                });
    }

    /** Where the sinks' delivery state is kept: a sink left out misses what a chunk delivers. */
    public void catchUp(SinkCatchUp sinks) {
        this.catchUp = sinks;
    }

    private Map<String, Known> lookup(Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Collections.emptyMap();
        }
        String sql = "SELECT i.record_id, i.content_hash, i.is_deleted, i.source_updated_at, i.fetched_at, "
                + "i.partition_key, " + (keepsRecords() ? "CASE WHEN i.last_record IS NULL THEN FALSE ELSE TRUE END"
                : "TRUE") + ", i.stream, i.raw_hash FROM " + dialect.keys("k")
                + " JOIN record_index i ON i.record_id = k.id";
        Map<String, Known> known = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            Dialect.bindKeys(q, 1, ids);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), new Known(rs.getString(2), rs.getBoolean(3),
                            new Version(instant(rs, 4), instant(rs, 5)), rs.getString(6), rs.getBoolean(7),
                            rs.getString(8), rs.getString(9)));
                }
            }
        }
        return known;
    }

    /**
     * What the sinks hold of each of these records (at most a chunk of them): its last delivered content, from the
     * index or the jdbc sink's table, and whether it is deleted. A record the index does not know is absent.
     */
    public Map<String, Held> held(Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Collections.emptyMap();
        }
        String sql = keepsRecords()
                ? "SELECT i.record_id, i.is_deleted, i.last_record FROM " + dialect.keys("k")
                        + " JOIN record_index i ON i.record_id = k.id"
                : "SELECT i.record_id, i.is_deleted, " + sinkColumns + " FROM " + dialect.keys("k")
                        + " JOIN record_index i ON i.record_id = k.id LEFT JOIN learning_record l "
                        + "ON l.record_id = i.record_id";
        Map<String, Held> held = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            Dialect.bindKeys(q, 1, ids);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    LearningRecord record;
                    if (keepsRecords()) {
                        String last = rs.getString(3);
                        record = last == null ? null : LearningRecord.fromJson(last);
                    } else {
                        record = rs.getString("source") == null ? null : sinkRows.read(rs);
                    }
                    held.put(rs.getString(1), new Held(record, rs.getBoolean(2)));
                }
            }
        }
        return held;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

package io.lmssync.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lmssync.ops.Secrets;
import io.lmssync.record.Json;
import io.lmssync.record.Sha256;
import io.lmssync.sync.Chunk.DeadLetter;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.ColumnText;
import io.lmssync.sync.Dialect;
import io.lmssync.sync.JdbcBatch;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.Version;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.RecordMapper.Fetched;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;

/**
 * Where vendor objects that did not become valid records go, with the reason and the object as received: the
 * {@code dead_letter} table (one row per stream and distinct object, counting how often it was seen), and, when the
 * file sink is on without the jdbc sink, an NDJSON file beside the records.
 */
public final class DeadLetterStore {

    /** first_seen_at and last_seen_at are when the object was fetched: the version a replay of it carries. */
    private static final String MERGE = """
            MERGE INTO dead_letter t
            USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS CHAR(64)), CAST(? AS VARCHAR(512)),
                           CAST(? AS VARCHAR(4000)), CAST(? AS %s), CAST(? AS BIGINT),
                           CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                  s(stream, raw_hash, record_id, reason, raw, run_id, source_updated_at, fetched_at)
            ON t.stream = s.stream AND t.raw_hash = s.raw_hash
            WHEN MATCHED THEN UPDATE SET reason = s.reason, last_seen_at = s.fetched_at,
                                         last_run_id = s.run_id, times_seen = t.times_seen + 1
            WHEN NOT MATCHED THEN INSERT (stream, raw_hash, record_id, reason, raw, first_seen_at, last_seen_at,
                                          last_run_id, times_seen, source_updated_at)
                                  VALUES (s.stream, s.raw_hash, s.record_id, s.reason, s.raw, s.fetched_at,
                                          s.fetched_at, s.run_id, 1, s.source_updated_at)
            """;

    private final String merge;
    private final Dialect dialect;
    private final int chunkSize;

    private final DataSource dataSource;
    private final StagedFiles files;

    private static final String REPLAYED_UP_TO = "lmsReplayedUpTo";

    /** @param files where dead-letter files go (the file sink's folder), or null for the table alone */
    public DeadLetterStore(DataSource dataSource, Dialect dialect, StagedFiles files, int chunkSize) {
        this.chunkSize = chunkSize;
        this.dataSource = dataSource;
        this.merge = MERGE.formatted(dialect.textType());
        this.dialect = dialect;
        this.files = files;
    }

    /**
     * The chunk's dead letters, after its valid records superseded the dead letters they are newer than (or as new
     * as): a record that now arrives valid leaves the dead-letter store.
     */
    public void store(Chunk chunk) throws SQLException {
        supersede(chunk);
        if (storeRows(chunk.run().stream(), chunk) && files != null) {
            files.stage(chunk, file(chunk), lines(chunk.run().stream(), chunk)); // appears with the chunk's commit
        }
    }

    private void supersede(Chunk chunk) throws SQLException {
        if (chunk.catchUpSink() != null) {
            return; // records the store held already: nothing new arrived
        }
        Map<String, LearningRecord> valid = new LinkedHashMap<>();
        // an id no column holds as it is (a NUL) is no valid record's: it supersedes nothing
        chunk.records().stream().filter(r -> !r.isDeleted())
                .filter(r -> r.recordId().equals(ColumnText.of(r.recordId(), ColumnText.ID)))
                .forEach(r -> valid.put(r.recordId(), r));
        if (valid.isEmpty()) {
            return;
        }
        List<Long> superseded = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement any = c.prepareStatement(
                "SELECT 1 FROM dead_letter WHERE stream = ? FETCH FIRST 1 ROW ONLY");
                PreparedStatement q = c.prepareStatement(
                "SELECT d.id, d.record_id, d.source_updated_at, d.last_seen_at FROM " + dialect.keys("k")
                        + " JOIN dead_letter d ON d.stream = ? AND d.record_id = k.id")) {
            // most streams hold no dead letter: one probe of the index rather than a join of the chunk's every id
            any.setString(1, chunk.run().stream());
            try (ResultSet rs = any.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
            Dialect.bindKeys(q, 1, valid.keySet());
            q.setString(2, chunk.run().stream());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Version letter = new Version(instant(rs, 3), instant(rs, 4));
                    if (!Version.of(valid.get(rs.getString(2))).isOlderThan(letter)) {
                        superseded.add(rs.getLong(1));
                    }
                }
            }
        }
        JdbcBatch.run(dataSource, "DELETE FROM dead_letter WHERE id = ?", superseded,
                (delete, id) -> delete.setLong(1, id));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The chunk's dead letters under another name than the run's stream (Thrive's refusals: {@code <stream>/thrive}). */
    public void store(String stream, Chunk chunk) throws SQLException {
        if (storeRows(stream, chunk) && files != null) {
            files.writeNow(file(chunk), lines(stream, chunk));
        }
    }

    /** The dead_letter rows; false when there were none. */
    private boolean storeRows(String stream, Chunk chunk) throws SQLException {
        if (chunk.deadLetters().isEmpty()) {
            return false;
        }
        // one row per distinct object: the same bad object twice in a chunk is one dead letter seen twice
        Map<String, DeadLetter> byHash = new LinkedHashMap<>();
        for (DeadLetter letter : chunk.deadLetters()) {
            byHash.put(Sha256.hex(letter.raw()), letter);
        }
        JdbcBatch.run(dataSource, merge, byHash.entrySet(), (merge, e) -> {
            merge.setString(1, stream);
            merge.setString(2, e.getKey());
            merge.setString(3, ColumnText.of(e.getValue().recordId(), ColumnText.ID));
            merge.setString(4, reason(e.getValue()));
            merge.setString(5, Secrets.mask(e.getValue().raw()));
            merge.setLong(6, chunk.run().id());
            merge.setObject(7, utc(e.getValue().sourceUpdatedAt()));
            merge.setObject(8, utc(e.getValue().fetchedAt()));
        });
        return true;
    }

    private static Path file(Chunk chunk) {
        return Path.of("dead-letter").resolve(NdjsonFileSink.day(chunk.run())).resolve(NdjsonFileSink.fileName(chunk));
    }

    private static List<String> lines(String stream, Chunk chunk) {
        return chunk.deadLetters().stream().map(letter -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("stream", stream);
            line.put("run_id", chunk.run().id());
            line.put("record_id", letter.recordId());
            line.put("reason", reason(letter));
            line.put("raw", Secrets.mask(letter.raw()));
            return Json.write(line);
        }).toList();
    }

    /**
     * The stream's dead letters, as they were received and with when they were fetched, in chunks of the mapper's
     * size: what {@code retryDeadLetters} sends through the stream's mapper again (a replayed object keeps its fetch
     * time, so it never replaces a version fetched after it). The run remembers the newest one replayed.
     */
    public List<List<Fetched>> replay(Exchange exchange) throws SQLException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        List<List<Fetched>> chunks = new ArrayList<>();
        List<Fetched> chunk = new ArrayList<>();
        long newest = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT id, raw, last_seen_at FROM dead_letter WHERE stream = ? ORDER BY id")) {
            q.setString(1, run.stream());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    newest = rs.getLong(1);
                    chunk.add(new Fetched(parse(rs.getString(2)), instant(rs, 3)));
                    if (chunk.size() == chunkSize) {
                        chunks.add(chunk);
                        chunk = new ArrayList<>();
                    }
                }
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        exchange.setProperty(REPLAYED_UP_TO, newest);
        return chunks;
    }

    /** After a replay: the dead letters that became records are gone; those that failed again stay, seen once more. */
    public int replayed(Exchange exchange) throws SQLException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM dead_letter WHERE stream = ? AND id <= ? AND last_run_id <> ?")) {
            delete.setString(1, run.stream());
            delete.setLong(2, exchange.getProperty(REPLAYED_UP_TO, 0L, Long.class));
            delete.setLong(3, run.id());
            return delete.executeUpdate();
        }
    }

    /**
     * Text a database column can hold: a NUL character (valid in JSON, refused by PostgreSQL) written as its JSON
     * escape. The object itself is stored as JSON text, where it is escaped already.
     */
    /** A dead letter as stored: its row id, the record it was about (null when unknown) and the object. */
    public record Stored(long id, String recordId, String raw) {
    }

    /**
     * A page of the stream's dead letters in row order after the given row, leaving out those the given run stored
     * (an operation that stores letters while it reads them does not read its own).
     */
    public List<Stored> page(String stream, long afterId, long exceptRunId, int pageSize) throws SQLException {
        List<Stored> page = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT id, record_id, raw FROM dead_letter WHERE stream = ? AND id > ? AND last_run_id <> ? "
                        + "ORDER BY id FETCH FIRST ? ROWS ONLY")) {
            q.setString(1, stream);
            q.setLong(2, afterId);
            q.setLong(3, exceptRunId);
            q.setInt(4, pageSize);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    page.add(new Stored(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return page;
    }

    /**
     * The chunk's dead letters, each the only one of its record under that stream: a record's earlier letters with
     * another object go (Thrive's refusals: what Thrive last said of the record's completion is what counts).
     */
    public void storeLatest(String stream, Chunk chunk) throws SQLException {
        JdbcBatch.run(dataSource, "DELETE FROM dead_letter WHERE stream = ? AND record_id = ? AND raw_hash <> ?",
                chunk.deadLetters().stream().filter(letter -> letter.recordId() != null).toList(),
                (delete, letter) -> {
                    delete.setString(1, stream);
                    delete.setString(2, ColumnText.of(letter.recordId(), ColumnText.ID));
                    delete.setString(3, Sha256.hex(letter.raw()));
                });
        store(stream, chunk);
    }

    /** These dead letters are resolved: they leave the store. */
    public void remove(Collection<Long> ids) throws SQLException {
        JdbcBatch.run(dataSource, "DELETE FROM dead_letter WHERE id = ?", ids, (delete, id) -> delete.setLong(1, id));
    }

    /** Every dead letter of these records under the stream is resolved. */
    public void removeRecords(String stream, Collection<String> recordIds) throws SQLException {
        JdbcBatch.run(dataSource, "DELETE FROM dead_letter WHERE stream = ? AND record_id = ?", recordIds,
                (delete, id) -> {
                    delete.setString(1, stream);
                    delete.setString(2, ColumnText.of(id, ColumnText.ID));
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static JsonNode parse(String raw) {
        try {
            return Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            return TextNode.valueOf(raw); // not JSON: the mapper dead-letters it again, as "not a JSON object"
        }
    }

    /** The reason as its column holds it: secrets masked, control characters escaped, cut at 4,000 characters. */
    private static String reason(DeadLetter letter) {
        String reason = ColumnText.escape(Secrets.mask(letter.reason()));
        return reason.length() > 4000 ? reason.substring(0, 3997) + "..." : reason;
    }
}

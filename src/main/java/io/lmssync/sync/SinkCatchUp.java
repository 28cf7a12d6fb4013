package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery state per sink: each sink of {@code sync.sinks} knows whether it holds what the store holds of a stream
 * ({@code sink_catch_up}). A sink added to the list, or added again after it missed deliveries, is behind: a sync run
 * first delivers it the stream's live records from the store (the jdbc sink's table, or the index's copy), a chunk at a
 * time, with no request to the source and to that sink alone; then it takes every delivery as the others do. A stream
 * seen for the first time takes its configured sinks as caught up (a store from before this table, or a new one).
 */
public final class SinkCatchUp {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCatchUp.class);

    private final DataSource dataSource;
    private final List<String> sinks;
    private final RecordIndex index;
    private final int chunkSize;

    /** @param sinks the configured sinks, in delivery order */
    public SinkCatchUp(DataSource dataSource, List<String> sinks, RecordIndex index, int chunkSize) {
        this.dataSource = dataSource;
        this.sinks = List.copyOf(sinks);
        this.index = index;
        this.chunkSize = chunkSize;
    }

    /** The first step of a sync: chunks of the stream's live records, each for one sink that lacks them. */
    public Iterator<Chunk> chunks(Exchange exchange) throws SQLException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run.mode() != SyncRun.Mode.SYNC) {
            return Collections.emptyIterator();
        }
        Map<String, String> behind = behind(run.stream());
        if (behind.isEmpty()) {
            return Collections.emptyIterator();
        }
        LOG.info("{}: {} behind the store: delivering it the stream's live records first", run.stream(),
                String.join(", ", behind.keySet()));
        return new Pages(run, behind);
    }

    /**
     * The configured sinks behind on the stream, with where each resumes; a stream never seen takes its configured
     * sinks as caught up, and a configured sink the stream has no row of is behind from the start.
     */
    private Map<String, String> behind(String stream) throws SQLException {
        Map<String, String> behind = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, Boolean> caughtUp = new LinkedHashMap<>();
            Map<String, String> after = new LinkedHashMap<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT sink, caught_up, after_record_id FROM sink_catch_up WHERE stream = ?")) {
                q.setString(1, stream);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        caughtUp.put(rs.getString(1), rs.getBoolean(2));
                        after.put(rs.getString(1), rs.getString(3));
                    }
                }
            }
            boolean seen = !caughtUp.isEmpty();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sink_catch_up (stream, sink, caught_up, "
                    + "after_record_id) VALUES (?, ?, ?, '')")) {
                for (String sink : sinks) {
                    if (!caughtUp.containsKey(sink)) {
                        insert.setString(1, stream);
                        insert.setString(2, sink);
                        insert.setBoolean(3, !seen);
                        insert.addBatch();
                        caughtUp.put(sink, !seen);
                        after.put(sink, "");
                    }
                }
                insert.executeBatch();
            }
            for (String sink : sinks) {
                if (!caughtUp.get(sink)) {
                    behind.put(sink, after.get(sink));
                }
            }
        }
        return behind;
    }

    /**
     * A chunk delivered while sinks are left out (not configured): those that held the stream are behind from now on,
     * and will be delivered everything the store holds when they come back. In the chunk's transaction.
     */
    void missed(Connection c, String stream) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE sink_catch_up SET caught_up = FALSE, after_record_id = '' "
                + "WHERE stream = ? AND caught_up = TRUE");
        sinks.forEach(sink -> sql.append(" AND sink <> ?"));
        try (PreparedStatement update = c.prepareStatement(sql.toString())) {
            update.setString(1, stream);
            for (int i = 0; i < sinks.size(); i++) {
                update.setString(i + 2, sinks.get(i));
            }
            update.executeUpdate();
        }
    }

    /**
     * A catch-up chunk is in its sink, in the chunk's transaction: the sink resumes after its last record, or, its
     * last chunk, holds the stream.
     */
    void caughtUpTo(Connection c, Chunk chunk) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE sink_catch_up SET after_record_id = ?, "
                + "caught_up = ? WHERE stream = ? AND sink = ?")) {
            update.setString(1, chunk.catchUpLast() ? "" : chunk.records().get(chunk.records().size() - 1)
                    .recordId());
            update.setBoolean(2, chunk.catchUpLast());
            update.setString(3, chunk.run().stream());
            update.setString(4, chunk.catchUpSink());
            update.executeUpdate();
        }
    }

    private void done(String stream, String sink) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE sink_catch_up SET caught_up = TRUE, after_record_id = '' WHERE stream = ? AND sink = ?")) {
            update.setString(1, stream);
            update.setString(2, sink);
            update.executeUpdate();
        }
    }

    /** The live records of the stream after a record id, a page of them, with their last content. */
    private List<LearningRecord> page(String stream, String after) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT record_id FROM record_index WHERE stream = ? AND is_deleted = FALSE AND record_id > ? "
                        + "ORDER BY stream, is_deleted, record_id FETCH FIRST " + chunkSize + " ROWS ONLY")) {
            q.setString(1, stream);
            q.setString(2, after);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        Map<String, RecordIndex.Held> held = index.held(ids);
        List<LearningRecord> records = new ArrayList<>();
        for (String id : ids) {
            RecordIndex.Held row = held.get(id);
            if (row != null && row.record() != null) {
                records.add(row.record());
            }
        }
        return records;
    }

    /**
     * The catch-up's chunks: every behind sink in delivery order, page after page. A sink's last chunk says so, and its
     * commit marks the sink caught up (a splitter looks one chunk ahead: the end is not the commit).
     */
    private final class Pages implements Iterator<Chunk> {
        private final SyncRun run;
        private final Iterator<Map.Entry<String, String>> sinksBehind;
        private String sink;
        private List<LearningRecord> page;

        Pages(SyncRun run, Map<String, String> behind) {
            this.run = run;
            this.sinksBehind = behind.entrySet().iterator();
        }

        @Override
        public boolean hasNext() {
            try {
                while (page == null || page.isEmpty()) {
                    if (!sinksBehind.hasNext()) {
                        return false;
                    }
                    Map.Entry<String, String> next = sinksBehind.next();
                    sink = next.getKey();
                    page = page(run.stream(), next.getValue());
                    if (page.isEmpty()) {
                        done(run.stream(), sink); // the stream holds nothing more for it
                    }
                }
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read what " + run.stream() + " holds for " + sink + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        public Chunk next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Chunk chunk = new Chunk(run);
            page.forEach(chunk::add);
            try {
                page = page(run.stream(), page.get(page.size() - 1).recordId());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read what " + run.stream() + " holds: " + e.getMessage(), e);
            }
            chunk.catchUp(sink, page.isEmpty());
            return chunk;
        }
    }
}

package io.lmssync.sync;

import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import io.lmssync.source.Stream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs' rows in {@code sync_run}: written as a run begins (running, on this node), again as it ends (its outcome
 * and counts), so what a run did outlives the process; a row left running by a process that is gone is marked
 * abandoned.
 */
final class RunRows {

    /** SyncRuns' lines, as they were before this part left it: an operator's log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    /** The longest error the row keeps. */
    private static final int ERROR_CHARS = 4000;

    private final DataSource dataSource;
    private final Sources sources;
    private final Clock clock;
    private final String node;

    RunRows(DataSource dataSource, Sources sources, Clock clock, String node) {
        this.dataSource = dataSource;
        this.sources = sources;
        this.clock = clock;
        this.node = node;
    }

    /** Marks abandoned the runs still marked running whose stream's slot no live process holds; how many. */
    int abandonUnheld() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return s.executeUpdate("UPDATE sync_run SET status = 'abandoned', ended_at = CURRENT_TIMESTAMP "
                    + "WHERE status = 'running' AND NOT EXISTS (SELECT 1 FROM stream_slot s "
                    + "WHERE s.stream = sync_run.stream AND s.holder IS NOT NULL AND s.expires_at >= CURRENT_TIMESTAMP)");
        }
    }

    /** The run's row, as it begins; the run, with whether the store held live records of its stream as it began. */
    SyncRun begun(Stream declared, Source source, SyncRun.Mode mode) throws SQLException {
        String stream = declared.id();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO sync_run (source, stream, started_at, "
                        + "status, node, mode) VALUES (?, ?, ?, 'running', ?, ?)", new String[] {"id"})) {
            insert.setString(1, source.key());
            insert.setString(2, stream);
            insert.setObject(3, now.atOffset(ZoneOffset.UTC));
            insert.setString(4, node);
            insert.setString(5, mode.label());
            insert.executeUpdate();
            long id;
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            SyncRun run = new SyncRun(id, source.key(), source.account(), stream, sources.tenant(source), now, mode,
                    declared.windowed());
            run.heldLiveRecords(holdsLive(c, stream));
            return run;
        }
    }

    /** Whether the index holds any live record of the stream (one probe: a stream's first sync has none). */
    private static boolean holdsLive(Connection c, String stream) throws SQLException {
        try (PreparedStatement probe = c.prepareStatement("SELECT 1 FROM record_index WHERE stream = ? "
                + "AND is_deleted = FALSE FETCH FIRST 1 ROW ONLY")) {
            probe.setString(1, stream);
            try (ResultSet rs = probe.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The run's row, as it ended. A database that fails here costs the row its outcome, not the run: the run already
     * ended, and its summary line says what it did.
     */
    void ended(SyncRun run, SyncRun.Status status, String error) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("""
                        UPDATE sync_run SET ended_at = ?, status = ?, fetched = ?, inserted = ?, updated = ?,
                               unchanged = ?, deleted = ?, dead_lettered = ?, error = ?, held = ?, older = ?,
                               left_alone = ?, duplicates = ?, skipped = ?, caught_up = ?
                        WHERE id = ?
                        """)) {
            update.setObject(1, run.startedAt().plus(run.duration()).atOffset(ZoneOffset.UTC));
            update.setString(2, status.name().toLowerCase(Locale.ROOT));
            update.setLong(3, run.fetched());
            update.setLong(4, run.inserted());
            update.setLong(5, run.updated());
            update.setLong(6, run.unchanged());
            update.setLong(7, run.deleted());
            update.setLong(8, run.deadLettered());
            update.setString(9, error == null ? null : error.length() > ERROR_CHARS ? error.substring(0, ERROR_CHARS)
                    : error);
            update.setLong(10, run.held());
            update.setLong(11, run.older());
            update.setLong(12, run.leftAlone());
            update.setLong(13, run.duplicates());
            update.setLong(14, run.skipped());
            update.setLong(15, run.caughtUp().values().stream().mapToLong(Long::longValue).sum());
            update.setLong(16, run.id());
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot record the end of run {} of {}: {}", run.id(), run.stream(), e.getMessage());
        }
    }
}

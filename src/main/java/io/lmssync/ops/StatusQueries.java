package io.lmssync.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the meters and the status page read from lms-sync's own tables, for any node's runs: the last success and the
 * failures since (sync_run), the backlogs (dead_letter, push_pending) and the operators' audit (control_audit). Only
 * syncs and reconciliations count as runs here: a dead-letter replay or an applied deletion brings nothing new from
 * the vendor, so it says nothing about whether the stream keeps up.
 */
final class StatusQueries {

    /** The modes that read the vendor. */
    private static final String READS_VENDOR = "mode IN ('sync', 'reconcile')";

    /** A run as sync_run has it. */
    record Run(long id, Instant startedAt, Instant endedAt, String mode, String status, long fetched, long inserted,
            long updated, long unchanged, long deleted, long deadLettered, String error) {
    }

    /** Windows of the sync_window ledger: done, of all it recorded. */
    record Windows(long done, long recorded) {
    }

    /** Dead letters that share a reason. */
    record Reason(String reason, long count) {
    }

    /** An operation an operator ran: who (the user, or the address) and through what (jmx, jolokia, cli). */
    record Audit(Instant at, String stream, String operation, String oldValue, String newValue, String node,
            String caller, String channel) {
    }

    private final DataSource dataSource;

    StatusQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** When the stream's last sync or reconciliation that succeeded ended. */
    Optional<Instant> lastSuccess(String stream) throws SQLException {
        return one("SELECT MAX(ended_at) FROM sync_run WHERE stream = ? AND status = 'succeeded' AND " + READS_VENDOR,
                stream, rs -> Optional.ofNullable(instant(rs, 1)));
    }

    /** Syncs and reconciliations that failed since the last that succeeded (or ever). */
    long failedInARow(String stream) throws SQLException {
        return one("SELECT COUNT(*) FROM sync_run WHERE stream = ? AND status = 'failed' AND " + READS_VENDOR
                + " AND id > COALESCE((SELECT MAX(id) FROM sync_run WHERE stream = ? AND status = 'succeeded' AND "
                + READS_VENDOR + "), 0)", stream, rs -> rs.getLong(1));
    }

    /** The stream's windows in the ledger (its syncs': a reconciliation's are kept apart), done and recorded. */
    Windows windows(String stream) throws SQLException {
        return one("SELECT COUNT(CASE WHEN status = 'done' THEN 1 END), COUNT(*) FROM sync_window WHERE stream = ?",
                stream, rs -> new Windows(rs.getLong(1), rs.getLong(2)));
    }

    /** A stream's dead letters: its objects that did not map, and what Thrive refused ({@code <stream>/thrive}). */
    private static final String DEAD_LETTERS_OF = "(stream = ? OR stream = CONCAT(?, '/thrive'))";

    /** Dead letters of the stream waiting in the dead-letter store. */
    long deadLetters(String stream) throws SQLException {
        return one("SELECT COUNT(*) FROM dead_letter WHERE " + DEAD_LETTERS_OF, stream, rs -> rs.getLong(1));
    }

    /** Completions of the stream waiting for a Thrive mapping. */
    long thrivePending(String stream) throws SQLException {
        return one("SELECT COUNT(*) FROM push_pending WHERE stream = ?", stream, rs -> rs.getLong(1));
    }

    /** The most common reasons of the stream's dead letters, most first. */
    List<Reason> deadLetterReasons(String stream, int most) throws SQLException {
        return list("SELECT reason, COUNT(*) AS n FROM dead_letter WHERE " + DEAD_LETTERS_OF + " GROUP BY reason"
                + " ORDER BY n DESC, reason FETCH FIRST " + most + " ROWS ONLY", stream,
                rs -> new Reason(rs.getString(1), rs.getLong(2)));
    }

    /** The stream's latest runs of every mode, newest first. */
    List<Run> recentRuns(String stream, int most) throws SQLException {
        return list("SELECT id, started_at, ended_at, mode, status, fetched, inserted, updated, unchanged, deleted,"
                + " dead_lettered, error FROM sync_run WHERE stream = ? ORDER BY id DESC FETCH FIRST " + most
                + " ROWS ONLY", stream, rs -> new Run(rs.getLong(1), instant(rs, 2), instant(rs, 3), rs.getString(4),
                rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), rs.getString(12)));
    }

    /** The latest operations, newest first. */
    List<Audit> recentAudit(int most) throws SQLException {
        return list("SELECT at, stream, operation, old_value, new_value, node, caller, channel FROM control_audit"
                + " ORDER BY id DESC FETCH FIRST " + most + " ROWS ONLY", null, rs -> new Audit(instant(rs, 1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8)));
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T one(String sql, String stream, Row<T> row) throws SQLException {
        List<T> rows = list(sql, stream, row);
        return rows.get(0);
    }

    private <T> List<T> list(String sql, String stream, Row<T> row) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            // every parameter is the stream (no query here has a '?' in a literal)
            long parameters = sql.chars().filter(ch -> ch == '?').count();
            for (int i = 1; i <= parameters; i++) {
                q.setString(i, stream);
            }
            try (ResultSet rs = q.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}

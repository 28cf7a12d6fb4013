package io.lmssync.ops;

import io.lmssync.sync.SyncRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A stream's last run as its MBean shows it: the run under way or ended in this process, or before this process ran
 * one the last that sync_run holds (whichever process ran it; its requests and windows were not recorded).
 */
record RunView(String start, String end, String status, String error, long fetched, long inserted, long updated,
        long unchanged, long deleted, long deadLettered, long older, long requests, long rateLimited, int windowsDone,
        int windowsTotal) {

    static final RunView NONE = new RunView("", "", "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    static RunView of(SyncRun run) {
        return new RunView(run.startedAt().toString(), run.endedAt() == null ? "" : run.endedAt().toString(),
                run.status().name().toLowerCase(Locale.ROOT), run.error() == null ? "" : run.error(),
                run.fetched(), run.inserted(), run.updated(), run.unchanged(), run.deleted(), run.deadLettered(),
                run.older(), run.requests(), run.rateLimited(), run.windowsDone(), run.windowsTotal());
    }

    /** The last run of the stream sync_run holds, or {@link #NONE}. */
    static RunView lastRecorded(DataSource dataSource, String stream) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT started_at, ended_at, status, error, fetched, inserted,"
                        + " updated, unchanged, deleted, dead_lettered, older FROM sync_run WHERE stream = ? ORDER BY id"
                        + " DESC FETCH FIRST 1 ROW ONLY")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return NONE;
                }
                OffsetDateTime end = rs.getObject(2, OffsetDateTime.class);
                return new RunView(rs.getObject(1, OffsetDateTime.class).toInstant().toString(),
                        end == null ? "" : end.toInstant().toString(), rs.getString(3),
                        rs.getString(4) == null ? "" : rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                        rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), 0, 0, 0, 0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the state of " + stream + ": " + e.getMessage());
        }
    }
}

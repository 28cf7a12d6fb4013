package io.lmssync.check;

import io.lmssync.check.Check.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Each stream's last first-contact check ({@code stream_check}): what the status page, health and the start gate of a
 * stream that never synced read, and an operator's override.
 */
public final class CheckStore {

    /** A stream's last check. */
    public record Stored(Instant at, Outcome outcome, String summary, Instant overriddenAt, String overriddenBy) {
        public boolean overridden() {
            return overriddenAt != null;
        }
    }

    private final DataSource dataSource;

    public CheckStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a check of the stream; an override stays until a check passes. */
    void save(String stream, Outcome outcome, String summary, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement merge = c.prepareStatement("""
                MERGE INTO stream_check t
                USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(16)),
                               CAST(? AS VARCHAR(4000)))) s(stream, checked_at, outcome, summary)
                ON t.stream = s.stream
                WHEN MATCHED THEN UPDATE SET checked_at = s.checked_at, outcome = s.outcome, summary = s.summary,
                    overridden_at = CASE WHEN s.outcome = 'failed' THEN t.overridden_at END,
                    overridden_by = CASE WHEN s.outcome = 'failed' THEN t.overridden_by END
                WHEN NOT MATCHED THEN INSERT (stream, checked_at, outcome, summary)
                                      VALUES (s.stream, s.checked_at, s.outcome, s.summary)
                """)) {
            merge.setString(1, stream);
            merge.setObject(2, at.atOffset(ZoneOffset.UTC));
            merge.setString(3, outcome.label());
            merge.setString(4, summary.length() > 4000 ? summary.substring(0, 3997) + "..." : summary);
            merge.executeUpdate();
        }
    }

    /** An operator lets the stream start although its check failed (until a check passes). */
    void override(String stream, String by, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement merge = c.prepareStatement("""
                MERGE INTO stream_check t
                USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(256))))
                      s(stream, overridden_at, overridden_by)
                ON t.stream = s.stream
                WHEN MATCHED THEN UPDATE SET overridden_at = s.overridden_at, overridden_by = s.overridden_by
                WHEN NOT MATCHED THEN INSERT (stream, checked_at, outcome, summary, overridden_at, overridden_by)
                                      VALUES (s.stream, s.overridden_at, 'unchecked', '', s.overridden_at,
                                              s.overridden_by)
                """)) {
            merge.setString(1, stream);
            merge.setObject(2, at.atOffset(ZoneOffset.UTC));
            merge.setString(3, by);
            merge.executeUpdate();
        }
    }

    /** The stream's last check, if it had one. */
    public Optional<Stored> last(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT checked_at, outcome, summary, overridden_at, overridden_by FROM stream_check WHERE stream = ?")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String outcome = rs.getString(2);
                OffsetDateTime overridden = rs.getObject(4, OffsetDateTime.class);
                return Optional.of(new Stored(rs.getObject(1, OffsetDateTime.class).toInstant(),
                        outcome.equals("unchecked") ? null : Outcome.valueOf(outcome.toUpperCase(Locale.ROOT)),
                        rs.getString(3), overridden == null ? null : overridden.toInstant(), rs.getString(5)));
            }
        }
    }

    /** Whether the stream ever synced: it has a cursor, or a sync or reconciliation of it succeeded. */
    boolean synced(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT 1 FROM sync_cursor WHERE stream = ? UNION ALL SELECT 1 FROM sync_run WHERE stream = ? "
                        + "AND status = 'succeeded' AND mode IN ('sync', 'reconcile')")) {
            q.setString(1, stream);
            q.setString(2, stream);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }
}

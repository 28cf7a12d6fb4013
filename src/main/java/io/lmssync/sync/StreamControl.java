package io.lmssync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators decided about streams, kept in the database so that every node and every restart sees it: which
 * streams are paused ({@code stream_control}), and every operation with its old and new value, who called it and
 * through what ({@code control_audit}).
 */
public final class StreamControl {

    private static final Logger LOG = LoggerFactory.getLogger(StreamControl.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final String node;

    public StreamControl(DataSource dataSource, Clock clock, String node) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.node = node;
    }

    public String node() {
        return node;
    }

    /** Since when the stream is paused; empty when it runs. */
    public Optional<Instant> pausedSince(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT changed_at FROM stream_control WHERE stream = ? AND paused = TRUE")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                        : Optional.empty();
            }
        }
    }

    /** Pauses or resumes the stream; the change is audited with its caller and channel ({@link #audit}). */
    public void setPaused(String stream, boolean paused, String channel, String caller) throws SQLException {
        boolean before = pausedSince(stream).isPresent();
        try (Connection c = dataSource.getConnection(); PreparedStatement merge = c.prepareStatement("""
                MERGE INTO stream_control t
                USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS BOOLEAN), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                      s(stream, paused, changed_at)
                ON t.stream = s.stream
                WHEN MATCHED THEN UPDATE SET paused = s.paused, changed_at = s.changed_at
                WHEN NOT MATCHED THEN INSERT (stream, paused, changed_at) VALUES (s.stream, s.paused, s.changed_at)
                """)) {
            merge.setString(1, stream);
            merge.setBoolean(2, paused);
            merge.setObject(3, clock.instant().atOffset(ZoneOffset.UTC));
            merge.executeUpdate();
        }
        audit(stream, paused ? "pause" : "resume", before ? "paused" : "running", paused ? "paused" : "running",
                channel, caller);
    }

    /**
     * Records an operation: when, on which stream, the value before and after, the node it ran on, who called it (the
     * authenticated user, or the address the call came from) and through what ({@code jmx}, {@code jolokia},
     * {@code cli}).
     */
    public void audit(String stream, String operation, String oldValue, String newValue, String channel,
            String caller) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO control_audit (at, stream, operation, old_value, new_value, node, channel, caller)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
            insert.setString(2, stream);
            insert.setString(3, operation);
            insert.setString(4, oldValue);
            insert.setString(5, newValue);
            insert.setString(6, node);
            insert.setString(7, channel);
            insert.setString(8, caller);
            insert.executeUpdate();
        }
        LOG.info("{}: {} ran {} through {} ({} -> {})", stream, caller, operation, channel, oldValue, newValue);
    }
}

package io.lmssync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Now, as the database tells it: what a stream's windows, its cursor and its lag are measured against, the one clock
 * every node shares (a node's own may be minutes or hours off; the rate budget reads the same one). Each instant is a
 * query: for a run's plan and a scrape's lag, not for a hot path.
 */
public final class DatabaseClock extends Clock {

    private final DataSource dataSource;

    public DatabaseClock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Instant instant() {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT CURRENT_TIMESTAMP"); ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's time: " + e.getMessage(), e);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the database's clock is read in UTC");
    }
}

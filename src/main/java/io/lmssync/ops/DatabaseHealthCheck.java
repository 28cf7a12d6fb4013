package io.lmssync.ops;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.lmssync.sync.DatabaseFaults;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of lms-sync's own database ({@code database} in /observe/health): the sinks, cursors and run records live
 * there, so a node that cannot use it cannot do anything useful. Each call reads lms-sync's own tables (a closed H2
 * file or a schema that is gone fail it where a connection's {@code isValid} does not); after the database showed a
 * fault that a read does not see ({@link DatabaseFaults}: a full disk), it also writes its probe row, and answers DOWN
 * until that write is taken. Together with Camel's route checks it is what readiness means here; vendors are watched
 * by {@link SourceHealthCheck} without a say in it.
 */
final class DatabaseHealthCheck extends AbstractHealthCheck {

    /** Seconds each statement of the check has to answer. */
    private static final int TIMEOUT_SECONDS = 2;
    private static final String READ = "SELECT COUNT(*) FROM stream_control";
    private static final String WRITE = """
            MERGE INTO database_probe t
            USING (VALUES (1, CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(255)))) s(id, probed_at, node)
            ON t.id = s.id
            WHEN MATCHED THEN UPDATE SET probed_at = s.probed_at, node = s.node
            WHEN NOT MATCHED THEN INSERT (id, probed_at, node) VALUES (s.id, s.probed_at, s.node)
            """;

    private final DataSource dataSource;
    private final DatabaseFaults faults;
    private final String node;

    DatabaseHealthCheck(DataSource dataSource, DatabaseFaults faults, String node) {
        super("lms-sync", "database");
        this.dataSource = dataSource;
        this.faults = faults;
        this.node = node;
    }

    @Override
    public boolean isLiveness() {
        return false; // a database outage is not mended by restarting lms-sync
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<DatabaseFaults.Fault> fault = faults.pending();
        boolean read = false;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement q = c.prepareStatement(READ)) {
                q.setQueryTimeout(TIMEOUT_SECONDS);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                }
            }
            read = true;
            if (fault.isPresent()) {
                try (PreparedStatement probe = c.prepareStatement(WRITE)) {
                    probe.setQueryTimeout(TIMEOUT_SECONDS);
                    probe.setObject(1, Instant.now().atOffset(ZoneOffset.UTC));
                    probe.setString(2, node);
                    probe.executeUpdate();
                }
                faults.cleared(fault.get());
            }
            builder.up();
            return;
        } catch (SQLException e) {
            // the driver's text may hold the URL or the user: the SQLState and the error code say enough for a probe
            String what = "SQLState " + e.getSQLState() + ", error " + e.getErrorCode();
            builder.message(read
                    ? "the database takes no writes (" + what + ") since it failed at " + fault.get().at() + " ("
                            + fault.get().describe() + "): a full disk or a file system gone read-only?"
                    : "cannot reach the database (" + e.getClass().getSimpleName() + ", " + what + ")");
        }
        builder.down();
        evictIdleConnections();
    }

    /**
     * The database turned us away: the pool's idle connections are likely dead too (a restart, a failover, a closed
     * file), and would otherwise each fail one more probe and one more run before the pool notices.
     */
    private void evictIdleConnections() {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                HikariPoolMXBean pool = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
                if (pool != null) {
                    pool.softEvictConnections();
                }
            }
        } catch (SQLException e) {
            // not a Hikari pool after all: nothing to evict
        }
    }
}

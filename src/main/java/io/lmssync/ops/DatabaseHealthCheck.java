package io.lmssync.ops;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of lms-sync's own database ({@code database} in /observe/health): the sinks, cursors and run records live
 * there, so a node that cannot reach it cannot do anything useful. Together with Camel's route checks it is what
 * readiness means here; vendors are watched by {@link VendorHealthCheck} without a say in it.
 */
final class DatabaseHealthCheck extends AbstractHealthCheck {

    /** Seconds the database has to answer {@link Connection#isValid}. */
    private static final int TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    DatabaseHealthCheck(DataSource dataSource) {
        super("lms-sync", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false; // a database outage is not mended by restarting lms-sync
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(TIMEOUT_SECONDS)) {
                builder.up();
                return;
            }
            builder.message("the database did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (SQLException e) {
            // the driver's text may hold the URL or the user: the SQLState says enough for a probe
            builder.message("cannot reach the database (" + e.getClass().getSimpleName()
                    + (e.getSQLState() == null ? "" : ", SQLState " + e.getSQLState()) + ")");
        }
        builder.down();
        evictIdleConnections();
    }

    /**
     * The database turned us away: the pool's idle connections are likely dead too (a restart, a failover), and would
     * otherwise each fail one more probe and one more run before the pool notices.
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

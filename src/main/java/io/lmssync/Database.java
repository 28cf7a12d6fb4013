package io.lmssync;

import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.ops.Secrets;
import io.lmssync.source.Sources;
import io.lmssync.sync.DatabaseFaults;
import io.lmssync.sync.Dialect;
import io.lmssync.sync.PoolSize;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database of sync.jdbc.url as lms-sync keeps it: its pool, its dialect, and the faults that evict the pool's
 * connections. The pool is made closed: it opens at its first connection ({@link #open}), so that every setting is
 * checked before anything touches the database.
 */
record Database(HikariDataSource pool, Dialect dialect, DatabaseFaults faults) {

    /** The database of the settings, its pool sized for the enabled sources ({@link PoolSize}). */
    static Database of(Settings settings, Sources sources) {
        Dialect dialect = Dialect.of(settings.text("sync.jdbc.url"));
        DatabaseFaults faults = new DatabaseFaults();
        return new Database(pool(settings, PoolSize.of(settings, sources.enabled()), faults), dialect, faults);
    }

    private static HikariDataSource pool(Settings settings, int poolSize, DatabaseFaults faults) {
        String url = settings.text("sync.jdbc.url");
        JdbcUrl.registerPasswords(url);
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("lms-sync");
        pool.setJdbcUrl(url);
        pool.setUsername(settings.optional("sync.jdbc.username").orElse(null));
        settings.optional("sync.jdbc.password").map(Secrets::register).ifPresent(pool::setPassword);
        pool.setMaximumPoolSize(poolSize);
        // a connection the database closed under it (H2 after a full disk) is evicted, so the next one reopens it
        pool.setExceptionOverride(faults);
        faults.evictAllWith(() -> {
            if (pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        });
        Dialect.of(url).connectionInitSql().ifPresent(pool::setConnectionInitSql);
        Dialect.of(url).driverProperties().forEach(pool::addDataSourceProperty);
        return pool;
    }

    /**
     * Opens the pool with a first connection; what the database says it is. A database that cannot be opened stops
     * the start with what the driver said (masked, as it may quote the URL), naming the setting.
     */
    String open() {
        try (Connection first = pool.getConnection()) {
            return first.getMetaData().getDatabaseProductName();
        } catch (SQLException | RuntimeException e) {
            throw new ConfigurationException("cannot open the database at sync.jdbc.url (" + JdbcUrl.shown(
                    pool.getJdbcUrl()) + "): " + Secrets.mask(rootMessage(e)));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

package io.lmssync.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema, brought to this version by Flyway's migrations: {@code common} (the same SQL for both databases)
 * and the dialect's folder (what differs: types, and Quartz's tables on PostgreSQL).
 *
 * <p>PostgreSQL runs each migration in a transaction, so a process that stops mid-migration leaves nothing behind. H2
 * commits every DDL statement on its own: a process killed (or stopped) mid-migration leaves the migration half done,
 * and every later start fails. So, on H2:
 * <ul>
 * <li>a database that holds no run yet (the first start was stopped while it built the schema) is built afresh;</li>
 * <li>a database that holds runs is copied ({@code BACKUP TO}, next to the database file, named after the version it
 * holds, never overwritten) before any pending migration runs; if one is then left half done, the start fails naming
 * the copy and how to restore it. Nothing is guessed, nothing is dropped.</li>
 * </ul>
 */
public final class Schema {

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    private Schema() {
    }

    /** Brings the schema to this version, or fails saying why and what to do. */
    public static void migrate(DataSource dataSource, Dialect dialect) {
        migrate(dataSource, dialect, MigrationVersion.LATEST);
    }

    static void migrate(DataSource dataSource, Dialect dialect, MigrationVersion target) {
        Flyway flyway = Flyway.configure().dataSource(dataSource).target(target)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.folder())
                .load();
        if (dialect != Dialect.H2) {
            flyway.migrate();
            return;
        }
        Optional<MigrationInfo> failed = failed(flyway);
        if (failed.isEmpty()) {
            try {
                backUpBeforeUpgrade(flyway, dataSource);
                flyway.migrate();
                return;
            } catch (FlywayException e) {
                // the migration a stopped process left half done fails again here: Flyway has now marked it failed
                failed = failed(flyway);
                if (failed.isEmpty()) {
                    throw e;
                }
            }
        }
        MigrationInfo half = failed.get();
        if (holdsRuns(dataSource)) {
            throw new IllegalStateException("the H2 database " + path(dataSource).orElse("(in memory)")
                    + " was left half upgraded at version " + half.getVersion() + " (" + half.getDescription()
                    + ") by a process that stopped during the upgrade. " + restoreAdvice(dataSource));
        }
        LOG.warn("The H2 database {} was left half built at version {} by a first start that stopped while building"
                + " it; it holds no run yet, so it is built afresh", path(dataSource).orElse("(in memory)"),
                half.getVersion());
        execute(dataSource, "DROP ALL OBJECTS");
        flyway.migrate();
    }

    private static Optional<MigrationInfo> failed(Flyway flyway) {
        return Arrays.stream(flyway.info().all()).filter(m -> m.getState() == MigrationState.FAILED).findFirst();
    }

    /** A copy of a database that holds runs, taken before a pending migration may leave it half done. */
    private static void backUpBeforeUpgrade(Flyway flyway, DataSource dataSource) {
        MigrationInfo current = flyway.info().current();
        Optional<String> path = path(dataSource);
        if (current == null || flyway.info().pending().length == 0 || path.isEmpty() || !holdsRuns(dataSource)) {
            return;
        }
        String copy = path.get() + "-V" + current.getVersion() + ".zip";
        if (Files.exists(Path.of(copy))) {
            // taken by an earlier start at this version, before a migration it may have left half done: keep it
            return;
        }
        Path partial = Path.of(copy + ".partial"); // a start stopped mid-copy leaves no copy that looks whole
        execute(dataSource, "BACKUP TO '" + partial.toString().replace("'", "''") + "'");
        try {
            Files.move(partial, Path.of(copy), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not name the copy of the H2 database " + copy + ": " + e, e);
        }
        LOG.info("Copied the H2 database at version {} to {} before upgrading it", current.getVersion(), copy);
    }

    private static String restoreAdvice(DataSource dataSource) {
        Optional<Path> copy = path(dataSource).flatMap(Schema::newestCopy);
        if (copy.isEmpty()) {
            return "There is no copy to go back to: restore the database file from your own backup.";
        }
        Path database = Path.of(path(dataSource).get());
        return "Stop every lms-sync process, move " + database + ".mv.db aside, restore the copy taken before the"
                + " upgrade with: java -cp lms-sync.jar org.h2.tools.Restore -file " + copy.get() + " -dir "
                + database.toAbsolutePath().getParent() + " -db " + database.getFileName() + ", and start again.";
    }

    private static Optional<Path> newestCopy(String database) {
        Path file = Path.of(database).toAbsolutePath();
        String prefix = file.getFileName() + "-V";
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".zip"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** The database file's path without its extension; empty for an in-memory database. */
    private static Optional<String> path(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DATABASE_PATH()")) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static boolean holdsRuns(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sync_run")) {
            return rs.next() && rs.getLong(1) > 0;
        } catch (SQLException e) {
            return false; // no sync_run table: nothing was ever run
        }
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the H2 database could not run " + sql.split(" ")[0] + ": "
                    + e.getMessage(), e);
        }
    }
}

package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Restore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 commits each DDL statement on its own: a process killed mid-migration leaves a migration half done (CrashIT's
 * SIGKILL found it). A new database is rebuilt; one that holds runs names the copy taken before the upgrade.
 */
class SchemaTest {

    @TempDir
    Path dir;

    /** V18 adds three columns in three statements; a kill after the first leaves the other two missing. */
    private static final String V18_FIRST = "ALTER TABLE sync_run ADD COLUMN duplicates BIGINT DEFAULT 0 NOT NULL";

    @Test
    void aFirstStartKilledWhileBuildingTheSchemaIsBuiltAfreshOnTheNextStart() throws Exception {
        JdbcDataSource db = h2("fresh");
        Schema.migrate(db, Dialect.H2, MigrationVersion.fromVersion("17"));
        execute(db, V18_FIRST); // the kill

        Schema.migrate(db, Dialect.H2);

        assertThat(query(db, "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE NOT \"success\"")).isZero();
        assertThat(query(db, "SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\""))
                .isGreaterThanOrEqualTo(24);
        assertThat(query(db, "SELECT COUNT(*) FROM sync_run WHERE duplicates + skipped + caught_up = 0")).isZero();
    }

    @Test
    void anUpgradeOfAStoreThatHoldsRunsIsCopiedFirstAndTheCopyRestoresIt() throws Exception {
        JdbcDataSource db = h2("lms-sync");
        Schema.migrate(db, Dialect.H2, MigrationVersion.fromVersion("17"));
        execute(db, "INSERT INTO sync_run (vendor, stream, started_at, status) VALUES ('moocit', 'moocit',"
                + " CURRENT_TIMESTAMP, 'succeeded')");

        Schema.migrate(db, Dialect.H2, MigrationVersion.fromVersion("17")); // nothing pending: no copy
        assertThat(dir.resolve("lms-sync-V17.zip")).doesNotExist();
        Schema.migrate(db, Dialect.H2, MigrationVersion.fromVersion("18")); // V18 pending: copied first
        Path copy = dir.resolve("lms-sync-V17.zip");
        assertThat(copy).exists();

        // the copy named in the advice restores the store as it was before the upgrade
        Path restored = Files.createDirectory(dir.resolve("restored"));
        Restore.execute(copy.toString(), restored.toString(), "lms-sync");
        JdbcDataSource back = new JdbcDataSource();
        back.setURL("jdbc:h2:file:" + restored.resolve("lms-sync"));
        back.setUser("sa");
        assertThat(query(back, "SELECT COUNT(*) FROM sync_run")).isEqualTo(1);
        assertThat(query(back, "SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\"")).isEqualTo(17);
    }

    @Test
    void theAdviceNamesTheCopyAndTheRestoreCommand() throws Exception {
        JdbcDataSource db = h2("lms-sync");
        Schema.migrate(db, Dialect.H2, MigrationVersion.fromVersion("17"));
        execute(db, "INSERT INTO sync_run (vendor, stream, started_at, status) VALUES ('moocit', 'moocit',"
                + " CURRENT_TIMESTAMP, 'succeeded')");
        execute(db, "BACKUP TO '" + dir.resolve("lms-sync-V17.zip") + "'"); // as Schema does before V18
        execute(db, V18_FIRST);

        assertThatThrownBy(() -> Schema.migrate(db, Dialect.H2))
                .hasMessageContaining("half upgraded at version 18")
                .hasMessageContaining("org.h2.tools.Restore -file " + dir.resolve("lms-sync-V17.zip"));
        assertThat(query(db, "SELECT COUNT(*) FROM sync_run")).as("nothing dropped").isEqualTo(1);

        // the start that failed did not overwrite the copy with the half-done database
        Path restored = Files.createDirectory(dir.resolve("restored"));
        Restore.execute(dir.resolve("lms-sync-V17.zip").toString(), restored.toString(), "lms-sync");
        JdbcDataSource back = h2("restored/lms-sync");
        assertThat(query(back, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE COLUMN_NAME = 'DUPLICATES'"))
                .isZero();
    }

    private JdbcDataSource h2(String name) {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:file:" + dir.resolve(name) + ";DB_CLOSE_DELAY=-1"); // open between connections, as under the pool
        db.setUser("sa");
        return db;
    }

    private static void execute(JdbcDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long query(JdbcDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash leaves of the file sink, as the next start finds it: a committed chunk's staged file (the process died
 * between the commit and the rename) appears, and one never committed is deleted (its chunk is delivered again).
 */
class StagedFilesRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void atStartACommittedStagedFileIsMovedIntoPlaceAndAnUncommittedOneIsDeleted() throws Exception {
        TestService service = new TestService(dir);
        try (LmsSync first = service.service(true).start()) {
            // the schema
        }
        Path out = dir.resolve("out").toAbsolutePath();
        Path committed = out.resolve(".staging/12345_host_dead0001/moocit/course_completion/2026-01-01/m-run7-00001.ndjson");
        Path uncommitted = out.resolve(".staging/12345_host_dead0001/moocit/course_completion/2026-01-01/m-run7-00002.ndjson");
        Files.createDirectories(committed.getParent());
        Files.writeString(committed, "{\"record_id\":\"a\"}\n");
        Files.writeString(uncommitted, "{\"record_id\":\"b\"}\n");
        Path target = out.resolve("moocit/course_completion/2026-01-01/m-run7-00001.ndjson");
        try (Connection c = DriverManager.getConnection(service.jdbcUrl(), "sa", "");
                PreparedStatement insert = c.prepareStatement("INSERT INTO staged_file (staged, target, committed_at) "
                        + "VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            insert.setString(1, committed.toString());
            insert.setString(2, target.toString());
            insert.executeUpdate();
        }

        try (LmsSync restarted = service.service(true).start()) {
            assertThat(target).hasContent("{\"record_id\":\"a\"}");
            assertThat(committed).doesNotExist();
            assertThat(uncommitted).doesNotExist();
            assertThat(out.resolve("moocit/course_completion/2026-01-01/m-run7-00002.ndjson")).doesNotExist();
            assertThat(service.count("SELECT COUNT(*) FROM staged_file")).isZero();
        }
    }
}

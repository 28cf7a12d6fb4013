package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.record.Content;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.PlannedChunks;
import io.lmssync.sync.SyncRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jdbc sink itself never lets a version replace a newer one, whatever reaches it (two nodes racing past the
 * record index): its MERGE compares source_updated_at, else fetched_at. On H2 here.
 */
class JdbcSinkNewerWinsTest {

    @TempDir
    Path dir;

    TestService database(TestService service) throws Exception {
        return service;
    }

    private static LearningRecord version(String updatedAt, String status, Instant fetchedAt) {
        return LearningRecord.builder("continu", "assessment", "a-1").status(status)
                .content(new Content("k1", "Safety", "video", null)).sourceUpdatedAt(updatedAt).build(fetchedAt);
    }

    @Test
    void anOlderVersionOrAnOlderTombstoneChangesNothingAndANewerOneWins() throws Exception {
        TestService service = database(new TestService(dir))
                .with("sync.sinks", "jdbc");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (LmsSync running = service.service(true).start();
                ProducerTemplate template = running.context().createProducerTemplate()) {
            SyncRun run = new SyncRun(1, "continu", "continu-assessments", null, t0);
            deliver(template, run, version("2026-01-02T00:00:00Z", "completed", t0));
            deliver(template, run, version("2026-01-01T00:00:00Z", "in_progress", t0.plusSeconds(60)));
            deliver(template, run, version("2026-01-01T12:00:00Z", "in_progress", t0.plusSeconds(60))
                    .deleted(t0.plusSeconds(60)));
            assertThat(service.query("SELECT status, is_deleted FROM learning_record"))
                    .as("an older version and an older tombstone leave the newer row").containsExactly(
                            Map.of("status", "completed", "is_deleted", false));

            deliver(template, run, version("2026-01-03T00:00:00Z", "failed", t0.plusSeconds(120)));
            assertThat(service.query("SELECT status FROM learning_record")).containsExactly(Map.of("status", "failed"));
            // without an update time, the later fetch wins and the earlier one does not
            deliver(template, run, version(null, "passed", t0.plusSeconds(30)));
            assertThat(service.query("SELECT status FROM learning_record")).containsExactly(Map.of("status", "failed"));
            deliver(template, run, version(null, "passed", t0.plusSeconds(180)));
            assertThat(service.query("SELECT status FROM learning_record")).containsExactly(Map.of("status", "passed"));
        }
    }

    private static void deliver(ProducerTemplate template, SyncRun run, LearningRecord record) {
        template.sendBody("direct:deliver-jdbc", PlannedChunks.of(run, List.of(record)));
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw archive end to end (the real service against a simulated MOOCit, into a real H2 and real files): every
 * object as received, written once, marked when deleted, mirrored in files; and a replay that re-maps it with no
 * request to the vendor.
 */
class RawArchiveTest {

    private static final String PATH = "/api/so2/v1/completion";
    private static final String STREAM = "moocit-course-completions";

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private TestService service;

    @BeforeEach
    void setUp() {
        service = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.sinks", "jdbc,file");
    }

    private void answers(String... completions) {
        moocit.resetAll();
        moocit.stubFor(get(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + TestService.TOKEN))
                .willReturn(okJson(MoocitSyncTest.answer(completions))));
    }

    @Test
    void objectsAreArchivedOnceMarkedWhenDeletedAndReplayedThroughTodaysMapperWithNoRequest() throws Exception {
        answers("ana,A,0.8", "ben,A,1", "cy,A,0.2", "ana,B,0.5");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<Map<String, Object>> archived = archive();
        assertThat(archived).hasSize(4).allSatisfy(row -> assertThat((String) row.get("body")).contains("\"username\""));
        assertThat(rawLines()).as("a mapped stream's objects are in its records' raw: no mirror").isEmpty();

        // unchanged: not rewritten (same fetch time), no new mirror line
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(archive()).isEqualTo(archived);

        // one changes, one goes: the changed one is rewritten, the gone one marked
        answers("ana,A,0.8", "ben,A,1", "ana,B,0.9");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.query("SELECT object_id FROM raw_object WHERE deleted_at IS NOT NULL"))
                .extracting(r -> r.get("object_id")).containsExactly("cy|A");
        assertThat(service.query("SELECT body FROM raw_object WHERE object_id = 'ana|B'").get(0).get("body"))
                .asString().contains("0.9");

        // what an older mapping made: every sink holds something else than today's mapper makes of the archive
        try (var c = java.sql.DriverManager.getConnection(service.jdbcUrl(), "sa", "");
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE learning_record SET content_title = 'mapped by last year''s mapper', "
                    + "content_hash = '" + "0".repeat(64) + "' WHERE NOT is_deleted");
            s.executeUpdate("UPDATE record_index SET content_hash = '" + "0".repeat(64) + "' WHERE NOT is_deleted");
            // and an object the older mapping refused
            s.executeUpdate("INSERT INTO dead_letter (stream, raw_hash, record_id, reason, raw, first_seen_at, "
                    + "last_seen_at, last_run_id, times_seen) VALUES ('" + STREAM + "', '" + "1".repeat(64) + "', "
                    + "'moocit:course_completion:dee|A', 'last year''s mapper refused it', '{\"username\":\"dee\","
                    + "\"email\":\"dee@example.com\",\"course_id\":\"A\",\"completion\":\"0.3\"}', "
                    + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1)");
        }
        int requests = moocit.getAllServeEvents().size();

        assertThat(service.replay(STREAM)).isEqualTo(RunOnce.OK);

        assertThat(moocit.getAllServeEvents()).as("a replay asks the vendor nothing").hasSize(requests);
        assertThat(service.lastRun()).containsEntry("mode", "remap").containsEntry("status", "succeeded")
                .containsEntry("updated", 3L).containsEntry("inserted", 1L);
        assertThat(service.count("SELECT COUNT(*) FROM dead_letter")).as("the dead letter that maps now left")
                .isZero();
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE record_id = "
                + "'moocit:course_completion:dee|A' AND progress = 0.3")).isEqualTo(1);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record l JOIN record_index i "
                + "ON i.record_id = l.record_id WHERE NOT l.is_deleted AND l.content_hash = i.content_hash "
                + "AND l.content_hash <> '" + "0".repeat(64) + "'")).isEqualTo(4);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).as("the deleted stays so")
                .isEqualTo(1);
    }

    /**
     * The record index keeps the hash the archive holds for each record's object, so an unchanged re-sync reads one
     * row a record; the archive must still take an object that changed only where no mapping reads, and the index
     * must follow it (else every later run looks the object up again, or worse, trusts a hash the archive lost).
     */
    @Test
    void theIndexFollowsTheArchivesHashEvenWhenOnlyAFieldNoMappingReadsChanged() throws Exception {
        String ana = "{\"username\":\"ana\",\"email\":\"ana@example.com\",\"course_id\":\"A\",\"completion\":\"0.8\"";
        String ben = "{\"username\":\"ben\",\"email\":\"ben@example.com\",\"course_id\":\"A\",\"completion\":\"1\"}";
        String indexFollowsArchive = "SELECT COUNT(*) FROM record_index i JOIN raw_object r ON r.stream = i.stream "
                + "AND i.record_id = CONCAT('moocit:course_completion:', r.object_id) "
                + "WHERE i.raw_hash = r.content_hash AND r.deleted_at IS NULL";
        answersJson("[" + ana + ",\"cohort\":\"spring\"}," + ben + "]");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count(indexFollowsArchive)).isEqualTo(2);
        List<Map<String, Object>> first = archive();

        // ana's object changes where no mapping reads: her record is unchanged, the archive takes the new object
        answersJson("[" + ana + ",\"cohort\":\"autumn\"}," + ben + "]");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("unchanged", 2L);
        List<Map<String, Object>> second = archive();
        assertThat(second.get(0).get("body")).asString().contains("autumn");
        assertThat(second.get(0).get("fetched_at")).isNotEqualTo(first.get(0).get("fetched_at"));
        assertThat(second.get(1)).as("ben's object is not rewritten").isEqualTo(first.get(1));
        assertThat(service.count(indexFollowsArchive)).as("the index learnt the archive's new hash").isEqualTo(2);

        // again: nothing to take
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("unchanged", 2L);
        assertThat(archive()).isEqualTo(second);

        // an index written before it kept the hash (an upgrade): the next run looks the objects up and fills it in
        try (var c = java.sql.DriverManager.getConnection(service.jdbcUrl(), "sa", "");
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE record_index SET raw_hash = NULL");
        }
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(archive()).isEqualTo(second);
        assertThat(service.count(indexFollowsArchive)).isEqualTo(2);

        // a deleted record's index row holds no hash: were it to come back as it was, the archive is looked at
        answersJson("[" + ben + "]");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM record_index WHERE is_deleted AND raw_hash IS NULL"))
                .isEqualTo(1);
        answersJson("[" + ana + ",\"cohort\":\"autumn\"}," + ben + "]");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM raw_object WHERE deleted_at IS NULL")).as("ana is live again")
                .isEqualTo(2);
        assertThat(service.count(indexFollowsArchive)).isEqualTo(2);
    }

    private void answersJson(String json) {
        moocit.resetAll();
        moocit.stubFor(get(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + TestService.TOKEN))
                .willReturn(okJson(json)));
    }

    @Test
    void switchedOffTheArchiveHoldsNothingAndTheRecordsStillArrive() throws Exception {
        service.with("sync.raw-archive.enabled", "false");
        answers("ana,A,0.8", "ben,A,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2);
        assertThat(service.count("SELECT COUNT(*) FROM raw_object")).isZero();
    }

    private List<Map<String, Object>> archive() throws Exception {
        return service.query("SELECT object_id, content_hash, fetched_at, deleted_at, body FROM raw_object "
                + "WHERE stream = '" + STREAM + "' ORDER BY object_id");
    }

    private List<String> rawLines() throws Exception {
        Path raw = dir.resolve("out/raw/" + STREAM);
        if (!Files.isDirectory(raw)) {
            return List.of();
        }
        try (var files = Files.walk(raw)) {
            return files.filter(p -> p.toString().endsWith(".ndjson")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}

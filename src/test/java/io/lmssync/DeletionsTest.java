package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletions only from trustworthy pulls, against simulated vendors that misbehave: an empty answer, renamed fields,
 * a shrinking roster, a later start date. Counted in the store, the files and the run's summary, on H2 here.
 */
class DeletionsTest {

    private static final String MOOCIT = "moocit-course-completions";
    private static final String PATH = "/api/so2/v1/completion";

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ContinuSimulator continu = new ContinuSimulator();

    @RegisterExtension
    final WireMockExtension continuServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(continu)).build();

    @TempDir
    Path dir;

    TestService service;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() throws Exception {
        service = database(TestService.readingMoocit(dir, moocit.baseUrl())).with("sync.chunk-size", "500");
        continuServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    /** Where the sync state and the jdbc sink live: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    /** MOOCit's answer: learners from..until (exclusive) on one course, each half done. */
    private static String learners(int from, int until) {
        return MoocitSyncTest.answer(IntStream.range(from, until).mapToObj(i -> "u" + i + ",course-v1:A,0.5")
                .toArray(String[]::new));
    }

    private void moocitAnswers(String body) {
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(body)));
    }

    private long deletedRows() throws Exception {
        return service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted");
    }

    private List<String> deletionLines() {
        return service.recordLines().stream().filter(l -> l.contains("\"is_deleted\":true")).toList();
    }

    @Test
    void anEmptyAnswerAfter2000RowsIsHeldUntilAnOperatorAppliesIt() throws Exception {
        moocitAnswers(learners(0, 2000));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        moocitAnswers("[]");

        assertThat(service.runOnce()).as("every stream succeeded, deletions held").isEqualTo(RunOnce.DELETIONS_HELD);

        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("deleted", 0L)
                .containsEntry("held", 2000L);
        assertThat(deletedRows()).isZero();
        assertThat(deletionLines()).isEmpty();
        assertThat(service.count("SELECT COUNT(*) FROM deletion WHERE held")).isEqualTo(2000);

        assertThat(service.applyHeld(MOOCIT)).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("mode", "apply").containsEntry("deleted", 2000L);
        assertThat(deletedRows()).isEqualTo(2000);
        assertThat(deletionLines()).hasSize(2000);
        assertThat(service.count("SELECT COUNT(*) FROM deletion")).isZero();
        assertThat(service.query("SELECT operation, old_value FROM control_audit")).containsExactly(
                Map.of("operation", "applyHeldDeletions", "old_value", "2000 held"));
    }

    @Test
    void aLaterPullThatSeesTheRecordsAgainDropsTheHeldDeletions() throws Exception {
        moocitAnswers(learners(0, 100));
        service.runOnce();
        moocitAnswers("[]");
        assertThat(service.runOnce()).isEqualTo(RunOnce.DELETIONS_HELD);

        moocitAnswers(learners(0, 100));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM deletion")).isZero();
        assertThat(service.applyHeld(MOOCIT)).isEqualTo(RunOnce.OK);
        assertThat(deletedRows()).isZero();
    }

    @Test
    void aMassDropBeyondTheGuardIsHeldAndARealChangeOfTenIsApplied() throws Exception {
        moocitAnswers(learners(0, 2000));
        service.runOnce();

        moocitAnswers(learners(10, 2000));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("deleted", 10L).containsEntry("held", 0L)
                .containsEntry("unchanged", 1990L);
        assertThat(deletedRows()).isEqualTo(10);

        moocitAnswers(learners(1000, 2000)); // half of the live records gone at once
        assertThat(service.runOnce()).isEqualTo(RunOnce.DELETIONS_HELD);
        assertThat(service.lastRun()).containsEntry("deleted", 0L).containsEntry("held", 990L);
        assertThat(deletedRows()).isEqualTo(10);
    }

    @Test
    void aTombstoneCarriesTheRecordsLastContentToTheFiles() throws Exception {
        moocitAnswers(MoocitSyncTest.answer("ana,course-v1:A,0.80", "ben,course-v1:A,1"));
        service.runOnce();
        moocitAnswers(MoocitSyncTest.answer("ben,course-v1:A,1"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(deletionLines()).singleElement().asString().contains(
                "\"record_id\":\"moocit:course_completion:ana|course-v1:A\"", "\"username\":\"ana\"",
                "\"email\":\"ana@example.com\"", "\"source_content_id\":\"course-v1:A\"", "\"status\":\"in_progress\"",
                "\"progress\":0.8", "\"is_deleted\":true", "\"completion\":\"0.80\"");
        assertThat(service.query("SELECT status, progress, is_deleted FROM learning_record WHERE learner_username = 'ana'"))
                .containsExactly(Map.of("status", "in_progress", "progress", 0.8, "is_deleted", true));
    }

    @Test
    void withoutTheJdbcSinkTheIndexKeepsTheLastContentATombstoneCarries() throws Exception {
        service.with("sync.sinks", "file");
        moocitAnswers(MoocitSyncTest.answer("ana,course-v1:A,0.80", "ben,course-v1:A,1"));
        service.runOnce();
        moocitAnswers(MoocitSyncTest.answer("ben,course-v1:A,1"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(deletionLines()).singleElement().asString().contains("\"username\":\"ana\"",
                "\"progress\":0.8", "\"is_deleted\":true");
        assertThat(service.count("SELECT COUNT(*) FROM record_index WHERE last_record IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void withTheJdbcSinkTheIndexKeepsNoSecondCopyOfTheRecord() throws Exception {
        moocitAnswers(MoocitSyncTest.answer("ana,course-v1:A,0.80"));
        service.runOnce();

        assertThat(service.count("SELECT COUNT(*) FROM record_index WHERE last_record IS NOT NULL")).isZero();
    }

    @Test
    void aSnapshotWhoseObjectsAllLostTheirIdFieldDeletesNothingAndHoldsItsDeletionsSayingWhy() throws Exception {
        moocitAnswers(learners(0, 2000));
        service.runOnce();
        moocitAnswers(learners(0, 2000).replace("\"course_id\"", "\"course_key\""));

        assertThat(service.runOnce()).as("a doubtful pull holds, as the delete guard does")
                .isEqualTo(RunOnce.DELETIONS_HELD);

        assertThat(service.lastRun()).containsEntry("deleted", 0L).containsEntry("held", 2000L)
                .containsEntry("dead_lettered", 2000L);
        assertThat(deletedRows()).isZero();
        assertThat(service.count("SELECT COUNT(*) FROM deletion WHERE held")).isEqualTo(2000);
    }

    @Test
    void aSnapshotWithObjectsWithoutAnIdHoldsTheNightsDeletionsRatherThanDropThem() throws Exception {
        moocitAnswers(learners(0, 20_000));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        // 100 learners gone; four broken objects come back, two of them with no id at all
        String broken = ",{\"username\":\"b1\",\"course_id\":\"course-v1:A\",\"completion\":\"lots\"},"
                + "{\"username\":\"b2\",\"course_id\":\"course-v1:A\",\"completion\":\"-1\"},"
                + "{\"email\":\"x@example.com\",\"completion\":\"1\"},{\"course\":\"renamed\"}]";
        String answer = learners(0, 19_900);
        moocitAnswers(answer.substring(0, answer.length() - 1) + broken);

        assertThat(service.runOnce()).isEqualTo(RunOnce.DELETIONS_HELD);

        assertThat(service.lastRun()).containsEntry("held", 100L).containsEntry("deleted", 0L)
                .containsEntry("dead_lettered", 4L);
        assertThat(service.count("SELECT COUNT(*) FROM deletion WHERE held")).isEqualTo(100);
        assertThat(deletedRows()).isZero();
        assertThat(service.applyHeld(MOOCIT)).isEqualTo(RunOnce.OK);
        assertThat(deletedRows()).as("an operator's word deletes exactly those").isEqualTo(100);
    }

    @Test
    void objectsThatFailToMapButNameTheirRecordCountAsSeen() throws Exception {
        moocitAnswers(learners(0, 2000));
        service.runOnce();
        moocitAnswers(learners(0, 2000).replace("\"completion\":\"0.5\"", "\"completion\":\"half\""));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("deleted", 0L).containsEntry("held", 0L)
                .containsEntry("dead_lettered", 2000L);
        assertThat(deletedRows()).isZero();
    }

    @Test
    void aDeadLetterReplayedAfterANewerVersionLandedLeavesTheNewerInPlace() throws Exception {
        moocitAnswers(MoocitSyncTest.answer("ana,course-v1:A,0.9"));
        service.runOnce();
        // an older version of ana's record that an earlier mapper could not map, fetched a day before
        try (var c = java.sql.DriverManager.getConnection(service.settings.get("sync.jdbc.url"),
                service.settings.get("sync.jdbc.username"), service.settings.get("sync.jdbc.password"));
                var s = c.prepareStatement("INSERT INTO dead_letter (stream, raw_hash, record_id, reason, raw, "
                        + "first_seen_at, last_seen_at, last_run_id, times_seen) VALUES (?, 'h', NULL, 'old reason', "
                        + "?, ?, ?, 0, 1)")) {
            s.setString(1, MOOCIT);
            s.setString(2, "{\"username\":\"ana\",\"email\":\"ana@example.com\",\"course_id\":\"course-v1:A\","
                    + "\"completion\":\"0.2\"}");
            s.setObject(3, java.time.OffsetDateTime.now().minusDays(1));
            s.setObject(4, java.time.OffsetDateTime.now().minusDays(1));
            s.executeUpdate();
        }

        try (LmsSync running = service.service(true).start()) {
            running.context().getRegistry().lookupByNameAndType("sourceRuns", io.lmssync.sync.SourceRuns.class)
                    .runStream(MOOCIT, io.lmssync.sync.SyncRun.Mode.REPLAY);
        }

        assertThat(service.lastRun()).containsEntry("mode", "replay").containsEntry("older", 1L)
                .containsEntry("updated", 0L);
        assertThat(service.query("SELECT progress FROM learning_record")).containsExactly(Map.of("progress", 0.9));
        assertThat(service.count("SELECT COUNT(*) FROM dead_letter")).as("an older version is no dead letter").isZero();
        assertThat(service.recordLines()).hasSize(1);
    }

    @Test
    void aDeadLetterLeavesTheStoreWhenANewerValidVersionOfItsRecordArrives() throws Exception {
        moocitAnswers(MoocitSyncTest.answer("ana,course-v1:A,lots", "ben,course-v1:A,1"));
        service.runOnce();
        assertThat(service.count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(1);

        moocitAnswers(MoocitSyncTest.answer("ana,course-v1:A,0.5", "ben,course-v1:A,1"));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM dead_letter")).isZero();
        assertThat(service.query("SELECT progress FROM learning_record WHERE learner_username = 'ana'"))
                .containsExactly(Map.of("progress", 0.5));
    }

    // Continu: a reconciliation deletes only within the roster it asked about and the range it read

    private List<String> roster(int from, int until) throws Exception {
        List<String> emails = IntStream.range(from, until).mapToObj(i -> "learner" + i + "@example.com").toList();
        Path file = dir.resolve("roster.csv");
        Files.writeString(file, "name,email\n" + String.join("\n", emails.stream().map(e -> "X," + e).toList()));
        service.with("continu.roster-file", file.toString());
        return emails;
    }

    private TestService continuService() {
        // this test's service read MOOCit until now
        return ContinuSimulator.readBy(service.with("moocit.enabled", "false"), continuServer.baseUrl(), now)
                .with("continu.requests-per-minute", "1000")
                .with("continu.rate-period-ms", "1000")
                .with("continu.roster-batch-size", "50");
    }

    @Test
    void aReconciliationAfterTheRosterShrankDeletesOnlyWhatTheVendorDeletedAmongTheLearnersItAskedAbout()
            throws Exception {
        continuService();
        continu.fill(roster(0, 200), now.minus(1, ChronoUnit.DAYS), 0);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(800);

        roster(50, 200); // 50 learners leave the roster: nothing was deleted in Continu
        List<String> gone = new ArrayList<>();
        for (String stream : List.of("assessments", "assignments", "tracks")) {
            // the vendor deleted 4 records a stream of learners still in the roster: 12 in all
            continu.byStream.get(stream).removeIf(c -> {
                int learner = Integer.parseInt(c.id().substring(c.id().indexOf('-') + 1));
                boolean delete = learner >= 100 && learner < 104;
                if (delete) {
                    gone.add(c.id());
                }
                return delete;
            });
        }

        assertThat(service.reconcileOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT source_record_id FROM learning_record WHERE is_deleted ORDER BY 1"))
                .extracting(r -> r.get("source_record_id")).containsExactlyInAnyOrderElementsOf(gone).hasSize(12);
        assertThat(service.count("SELECT COALESCE(SUM(deleted), 0) FROM sync_run WHERE mode = 'reconcile'"))
                .isEqualTo(12);
        assertThat(service.count("SELECT COALESCE(SUM(left_alone), 0) FROM sync_run WHERE mode = 'reconcile'"))
                .as("the 50 learners who left the roster, in each of 4 streams").isEqualTo(200);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted = FALSE")).isEqualTo(788);
    }

    @Test
    void aReconciliationNeverDeletesRecordsOlderThanTheRangeItRead() throws Exception {
        continuService();
        // learner i updated 3(i+1) days ago: 30 per stream over 90 days
        continu.fill(roster(0, 30), now, 3);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        service.with("continu.start-date", now.minus(45, ChronoUnit.DAYS).toString());
        assertThat(service.reconcileOnce()).isEqualTo(RunOnce.OK);

        assertThat(deletedRows()).isZero();
        assertThat(service.count("SELECT COALESCE(SUM(left_alone), 0) FROM sync_run WHERE mode = 'reconcile'"))
                .as("learners 15 to 29, updated before the new start date, in each of 4 streams").isEqualTo(60);
    }

    @Test
    void aRosterEmptiedBetweenRunsFailsTheStreamNamingTheFileAndMovesNoCursor() throws Exception {
        continuService();
        continu.fill(roster(0, 30), now, 3);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        String cursors = service.query("SELECT * FROM sync_cursor ORDER BY stream").toString();
        Path file = dir.resolve("roster.csv");

        try (LmsSync running = service.service(true)) {
            // the roster was fine at start-up; it empties while the service runs
            running.start();
            Files.writeString(file, "name,email\n");
            assertThat(running.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        }

        assertThat(service.lastRun()).containsEntry("status", "failed");
        assertThat((String) service.lastRun().get("error")).contains("continu.roster-file (" + file
                + ") holds no e-mail address");
        assertThat(service.query("SELECT * FROM sync_cursor ORDER BY stream").toString()).isEqualTo(cursors);
    }
}

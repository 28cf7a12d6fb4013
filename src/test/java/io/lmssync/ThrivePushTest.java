package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.ThriveSimulator.Received;
import io.lmssync.sync.RunOnce;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Thrive push end to end: MOOCit completions into H2 and a simulated Thrive, with the customer's mapping files. */
class ThrivePushTest {

    private static final String MOOCIT = "/api/so2/v1/completion";

    private final ThriveSimulator thrive = new ThriveSimulator();

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @RegisterExtension
    final WireMockExtension thriveServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(thrive)).build();

    @TempDir
    Path dir;

    private TestService service;
    private Path users;

    @BeforeEach
    void setUp() throws Exception {
        users = dir.resolve("thrive-users.csv");
        Files.writeString(users, "learner,thrive_user_id\nana@example.com,U-ANA\nBEN@example.com,U-BEN\n");
        Path contents = dir.resolve("thrive-content.csv");
        Files.writeString(contents, "# source:content id -> Thrive content\ncontent,thrive_content_id\n"
                + "moocit:course-v1:A,C-A\nmoocit:course-v1:B,C-B\n");
        thrive.users.addAll(List.of("U-ANA", "U-BEN", "U-CY"));
        thrive.contents.addAll(List.of("C-A", "C-B"));
        service = ThriveSimulator.pushedToBy(database(TestService.readingMoocit(dir, moocit.baseUrl())), thriveServer.baseUrl(),
                        users, contents)
                .with("sync.sinks", "jdbc,thrive");
    }

    /** The service under test, pushing to the simulated Thrive. */
    TestService service() {
        return service;
    }

    /** Where the sync state and the push ledger live: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    private void moocitAnswers(String... completions) {
        moocit.stubFor(get(urlPathEqualTo(MOOCIT)).willReturn(okJson(MoocitSyncTest.answer(completions))));
    }

    @Test
    void completedRecordsArePushedOnceInThrivesIdsAndNothingElseIs() throws Exception {
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:A,0.5", "ben,course-v1:B,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId, Received::contentId, Received::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("U-ANA", "C-A", 201),
                        org.assertj.core.groups.Tuple.tuple("U-BEN", "C-B", 201));
        assertThat(thrive.received).allSatisfy(r -> assertThat(r.completedAt()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        assertThat(thrive.tokensIssued).hasValue(1);
        assertThat(service.count("SELECT COUNT(*) FROM push_done")).isEqualTo(2);
        assertThat(service.lastRun()).containsEntry("status", "succeeded");

        // unchanged: nothing is sent; ben finishes A: only that is sent
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).hasSize(2);
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:A,1", "ben,course-v1:B,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).hasSize(3).last().extracting(Received::userId, Received::contentId)
                .containsExactly("U-BEN", "C-A");
    }

    @Test
    void aCompletionWithoutAMappingWaitsAndIsPushedOnceTheMappingAppears() throws Exception {
        moocitAnswers("ana,course-v1:A,1", "cy,course-v1:B,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId).containsExactly("U-ANA");
        assertThat(service.query("SELECT record_id, reason, attempts FROM push_pending")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("record_id")).isEqualTo("moocit:course_completion:cy|course-v1:B");
                    assertThat((String) row.get("reason")).isEqualTo("no Thrive user for cy@example.com / moocit:cy"
                            + " in thrive.user-map-file (" + users + ")");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).as("still no mapping: still waiting").hasSize(1);
        assertThat(service.query("SELECT attempts FROM push_pending")).containsExactly(Map.of("attempts", 2));

        Files.writeString(users, "cy@example.com,U-CY\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).hasSize(2).last().extracting(Received::userId, Received::status)
                .containsExactly("U-CY", 201);
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).isZero();

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).as("pushed once").hasSize(2);
    }

    @Test
    void aNewCompletionOfTheSameRecordIsPushedAndTheSameCompletionNeverTwice() throws Exception {
        moocitAnswers("ana,course-v1:A,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        String first = thrive.received.get(0).completedAt();

        // the record changes but stays completed: the same completion, at the time lms-sync first saw it
        moocitAnswers("ana,course-v1:A,1.0");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).as("the same completion").hasSize(1);

        // ana's course is reset, and she completes it again: a new completion
        moocitAnswers("ana,course-v1:A,0.5");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        moocitAnswers("ana,course-v1:A,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId, Received::contentId, Received::status)
                .containsExactly(tuple("U-ANA", "C-A", 201), tuple("U-ANA", "C-A", 201));
        assertThat(thrive.received.get(1).completedAt()).isNotEqualTo(first);
        assertThat(service.count("SELECT COUNT(*) FROM push_done")).isEqualTo(2);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).as("each completion once").hasSize(2);
    }

    @Test
    void completionsThatVanishForARunAndComeBackUnchangedAreNotPushedAgain() throws Exception {
        // twenty-two learners, every one mapped; twenty completed course A, two are half-way
        StringJoiner mapped = new StringJoiner("\n", "", "\n");
        List<String> all = new java.util.ArrayList<>();
        for (int i = 1; i <= 22; i++) {
            mapped.add("l" + i + "@example.com,U-L" + i);
            thrive.users.add("U-L" + i);
            all.add("l" + i + ",course-v1:A," + (i <= 20 ? "1" : "0.5"));
        }
        Files.writeString(users, mapped.toString(), StandardOpenOption.APPEND);
        moocitAnswers(all.toArray(String[]::new));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).hasSize(20).extracting(Received::status).containsOnly(201);

        // a bad night: two completed records are missing; two of 22 is under the delete guard, so they are deleted
        List<String> night = all.stream().filter(c -> !c.startsWith("l3,") && !c.startsWith("l4,")).toList();
        moocitAnswers(night.toArray(String[]::new));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isEqualTo(2);

        // they come back as they were: the same completions, which Thrive holds
        moocitAnswers(all.toArray(String[]::new));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isZero();
        assertThat(service.lastRun()).containsEntry("status", "succeeded");

        assertThat(thrive.received).as("no POST after the first run").hasSize(20);
        assertThat(service.count("SELECT COUNT(*) FROM push_done")).isEqualTo(20);
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).isZero();
    }

    @Test
    void twoRecordsOfOneThriveCompletionArePushedOnce() throws Exception {
        // two MOOCit accounts of one learner, both mapped to her Thrive user, seen completed in the same answer
        Files.writeString(users, "moocit:ana,U-ANA\nmoocit:ana-old,U-ANA\n", StandardOpenOption.APPEND);
        moocit.stubFor(get(urlPathEqualTo(MOOCIT)).willReturn(okJson("[{\"username\":\"ana\",\"course_id\":"
                + "\"course-v1:A\",\"completion\":\"1\"},{\"username\":\"ana-old\",\"course_id\":\"course-v1:A\","
                + "\"completion\":\"1\"}]")));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId, Received::contentId, Received::status)
                .containsExactly(tuple("U-ANA", "C-A", 201));
        assertThat(service.count("SELECT COUNT(*) FROM push_done")).isEqualTo(1);
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).isZero();
    }

    @Test
    void aChunkSentAgainAfterACrashCarriesTheSameCompletedAtAndWhatThriveHoldsIsNotPushedAgain() throws Exception {
        // the file sink comes after Thrive and cannot write: Thrive took the chunk, but it does not count as delivered
        Path blocked = Files.createDirectories(dir.resolve("out")).resolve(".staging");
        Files.writeString(blocked, "a file where the sink wants its staging folder");
        service.with("sync.sinks", "jdbc,thrive,file");
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:B,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat(thrive.received).extracting(Received::status).containsExactly(201, 201);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();
        String completedAt = thrive.received.get(0).completedAt();
        // as if the process died after Thrive took ben's completion and before push_done said so
        execute("DELETE FROM push_done WHERE record_id = 'moocit:course_completion:ben|course-v1:B'");

        Files.delete(blocked);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        // the next run fetched the chunk at another time, but they are the same completions
        assertThat(thrive.received).extracting(Received::userId, Received::status, Received::completedAt)
                .containsExactly(tuple("U-ANA", 201, completedAt), tuple("U-BEN", 201, completedAt),
                        tuple("U-BEN", 200, completedAt));
        assertThat(service.query("SELECT DISTINCT completed_at FROM push_done"))
                .containsExactly(Map.of("completed_at", completedAt));
    }

    @Test
    void aWaitingCompletionIsPushedOnlyWhileTheRecordStillSaysIt() throws Exception {
        moocitAnswers("cy,course-v1:A,1", "dee,course-v1:A,1", "eve,course-v1:A,1", "ana,course-v1:A,0.5");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).isEqualTo(3);

        // all three are mapped now, but cy's course was reset and dee's completion is gone from MOOCit
        Files.writeString(users, "cy@example.com,U-CY\ndee@example.com,U-DEE\neve@example.com,U-EVE\n",
                StandardOpenOption.APPEND);
        thrive.users.addAll(List.of("U-DEE", "U-EVE"));
        moocitAnswers("cy,course-v1:A,0.5", "eve,course-v1:A,1", "ana,course-v1:A,0.5");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isEqualTo(1);
        assertThat(thrive.received).extracting(Received::userId, Received::status)
                .containsExactly(tuple("U-EVE", 201));
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).as("no longer waiting").isZero();
    }

    @Test
    void waitingCompletionsAreTriedAPageAtATimeAndEachIsPushedOnce() throws Exception {
        // eight waiting completions, read three at a time (sync.chunk-size in tests)
        String[] learners = {"fay", "gus", "hal", "ida", "jo", "kim", "lu", "max"};
        moocitAnswers(java.util.Arrays.stream(learners).map(l -> l + ",course-v1:A,1").toArray(String[]::new));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).isEqualTo(learners.length);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM push_pending WHERE attempts = 2")).as("every page tried")
                .isEqualTo(learners.length);

        StringJoiner mapped = new StringJoiner("\n", "", "\n");
        for (String learner : learners) {
            mapped.add(learner + "@example.com,U-" + learner);
            thrive.users.add("U-" + learner);
        }
        Files.writeString(users, mapped.toString(), StandardOpenOption.APPEND);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId).containsExactlyInAnyOrder(
                java.util.Arrays.stream(learners).map(l -> "U-" + l).toArray(String[]::new));
        assertThat(service.count("SELECT COUNT(*) FROM push_pending")).isZero();
    }

    @Test
    void thrivesRefusalsAreTriedAgainFromJmxAndWhatThriveNowTakesLeavesTheDeadLetters() throws Exception {
        Files.writeString(users, "dan@example.com,U-DAN\n", StandardOpenOption.APPEND); // a user Thrive does not know
        thrive.contents.remove("C-B");
        moocitAnswers("ana,course-v1:B,1", "ben,course-v1:B,1", "dan,course-v1:A,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).extracting(Received::status).containsExactly(422, 422, 422);
        String benCompletedAt = thrive.received.get(1).completedAt();
        // ana's course is reset: her refused completion is no longer hers; Thrive learns content C-B
        moocitAnswers("ana,course-v1:B,0.5", "ben,course-v1:B,1", "dan,course-v1:A,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        thrive.contents.add("C-B");

        String outcome;
        try (LmsSync running = service.with("camel.main.jmx-enabled", "true").with("moocit.cron", "0 0 0 1 1 ? 2099")
                .service(false).start()) {
            outcome = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("lms-sync:type=stream,source=moocit,name=course-completions"), "retryDeadLetters",
                    new Object[0], new String[0]);
        }

        assertThat(outcome).contains("succeeded").contains("thrive_pushed=1 thrive_pending=0 thrive_refused=1 "
                + "thrive_stale=1");
        assertThat(thrive.received).hasSize(5).extracting(Received::userId, Received::contentId, Received::status)
                .endsWith(tuple("U-BEN", "C-B", 201), tuple("U-DAN", "C-A", 422));
        assertThat(thrive.received.get(3).completedAt()).isEqualTo(benCompletedAt);
        assertThat(service.query("SELECT record_id, completed_at FROM push_done")).containsExactly(Map.of(
                "record_id", "moocit:course_completion:ben|course-v1:B", "completed_at", benCompletedAt));
        assertThat(service.query("SELECT stream, record_id, times_seen FROM dead_letter")).as("what Thrive still refuses")
                .containsExactly(Map.of("stream", "moocit-course-completions/thrive",
                        "record_id", "moocit:course_completion:dan|course-v1:A", "times_seen", 2));
    }

    /** A change to the database behind the service's back (what a crash leaves). */
    private void execute(String sql) throws Exception {
        try (var c = DriverManager.getConnection(service.settings.get("sync.jdbc.url"),
                service.settings.get("sync.jdbc.username"), service.settings.get("sync.jdbc.password"));
                var s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    @Test
    void alreadyThereCountsAsDeliveredAndARefusalBecomesADeadLetterWithThrivesMessage() throws Exception {
        thrive.held.add("U-ANA|C-A");
        thrive.contents.remove("C-B");
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:B,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("status", "succeeded");
        assertThat(thrive.received).extracting(Received::status).containsExactlyInAnyOrder(200, 422);
        assertThat(service.query("SELECT record_id, http_status FROM push_done")).containsExactly(
                Map.of("record_id", "moocit:course_completion:ana|course-v1:A", "http_status", 200));
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).containsExactly(Map.of(
                "record_id", "moocit:course_completion:ben|course-v1:B",
                "reason", "Thrive refused the completion (HTTP 422): Unknown contentId C-B"));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).as("the other sinks have both").isEqualTo(2);
    }

    @Test
    void rateLimitsServerErrorsAndAnExpiredTokenAreRetriedAndNothingIsLostOrDoubled() throws Exception {
        thrive.faults.addAll(List.of(429, 503));
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:B,1");
        thrive.expireTokens(); // nothing issued yet: harmless
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).extracting(Received::status).containsExactly(201, 201);

        // the token stops working between runs: one renewal, one more try
        thrive.expireTokens();
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:B,1", "ana,course-v1:B,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId, Received::contentId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("U-ANA", "C-A"), org.assertj.core.groups.Tuple.tuple("U-BEN", "C-B"),
                org.assertj.core.groups.Tuple.tuple("U-ANA", "C-B"));
        assertThat(thrive.tokensIssued).hasValue(2);
        assertThat(service.count("SELECT COUNT(*) FROM push_done")).isEqualTo(3);
    }

    @Test
    void thriveDownFailsTheStreamKeepsItsSnapshotAndTheNextRunPushesEachCompletionOnce() throws Exception {
        // 1 try + 2 retries (sync.retry.max-redeliveries in tests), and the stream is not retried around it
        thrive.faults.addAll(List.of(503, 503, 503));
        moocitAnswers("ana,course-v1:A,1", "ben,course-v1:B,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(thrive.faults).isEmpty();
        assertThat(thrive.received).isEmpty();
        moocit.verify(1, getRequestedFor(urlPathEqualTo(MOOCIT)));
        assertThat((String) service.lastRun().get("error")).contains("503");
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).as("the chunk is not delivered").isZero();
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(thrive.received).extracting(Received::status).containsExactly(201, 201);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2);
    }

    @Test
    void aCompletionFromAWindowedVendorGoesToThriveByTheLearnersSourceIdAndNotBackToTheVendor() throws Exception {
        absorbServer.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                        com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
        absorb.enroll("c1", 4, java.time.Instant.now().minusSeconds(86_400)); // u3 is Complete (status 3)
        Files.writeString(users, "absorb:u3,U-CY\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("thrive-content.csv"), "absorb:c1,C-A\n", java.nio.file.StandardOpenOption.APPEND);
        AbsorbSimulator.readBy(service.with("moocit.enabled", "false"), absorbServer.baseUrl(),
                java.time.Instant.now());

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::userId, Received::contentId, Received::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("U-CY", "C-A", 201));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(4);
    }

    @Test
    void basicAuthWithTheApiSecretNeedsNoToken() throws Exception {
        service.with("thrive.client-id", "").with("thrive.client-secret", "")
                .with("thrive.api-secret", ThriveSimulator.API_SECRET);
        moocitAnswers("ana,course-v1:A,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(thrive.received).extracting(Received::status).containsExactly(201);
        assertThat(thrive.tokensIssued).hasValue(0);
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** MOOCit end to end: the real service and YAML routes against a simulated MOOCit, into a real H2 and real files. */
class MoocitSyncTest {

    private static final String PATH = "/api/so2/v1/completion";

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    TestService service;

    @BeforeEach
    void setUp() throws Exception {
        service = database(TestService.readingMoocit(dir, moocit.baseUrl()));
        // a host that enforces the headers MOOCit's page marks as required answers 400 without them
        moocit.stubFor(get(urlPathEqualTo(PATH)).atPriority(10).willReturn(aResponse().withStatus(400)
                .withBody("{\"detail\": \"Content-Type and Access-Control-Request-Headers are required\"}")));
    }

    /** Where the sync state and the jdbc sink live: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    /** A MOOCit answer: each entry "username,course,completion" (completion may be "-" for none). */
    static String answer(String... completions) {
        StringJoiner array = new StringJoiner(",\n", "[", "]");
        for (String c : completions) {
            String[] f = c.split(",");
            array.add("{\"username\":\"" + f[0] + "\",\"email\":\"" + f[0] + "@example.com\",\"course_id\":\"" + f[1]
                    + "\"" + (f[2].equals("-") ? "" : ",\"completion\":\"" + f[2] + "\"") + "}");
        }
        return array.toString();
    }

    private static final String[] FIVE = {"ana,course-v1:A,0.80", "ben,course-v1:A,1", "cy,course-v1:A,0",
        "ana,course-v1:B,0.805", "dee,course-v1:B,-"};

    private void answers(ResponseDefinitionBuilder response) {
        moocit.stubFor(get(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + TestService.TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Access-Control-Request-Headers", equalTo("authorization"))
                .willReturn(response));
    }

    void answers(String body) {
        answers(okJson(body));
    }

    @Test
    void aFirstRunDeliversEveryRecordToH2AndToFilesAndDeadLettersTheRest() throws Exception {
        String[] withBad = {FIVE[0], FIVE[1], FIVE[2], FIVE[3], FIVE[4], "eve,course-v1:C,lots"};
        answers(answer(withBad));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT record_id, status, progress, is_deleted FROM learning_record ORDER BY record_id"))
                .extracting(r -> r.get("record_id") + " " + r.get("status") + " " + r.get("progress") + " "
                        + r.get("is_deleted"))
                .containsExactly(
                        "moocit:course_completion:ana|course-v1:A in_progress 0.8 false",
                        "moocit:course_completion:ana|course-v1:B in_progress 0.805 false",
                        "moocit:course_completion:ben|course-v1:A completed 1.0 false",
                        "moocit:course_completion:cy|course-v1:A not_started 0.0 false",
                        "moocit:course_completion:dee|course-v1:B unknown null false");
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).singleElement().satisfies(d -> {
            assertThat(d.get("record_id")).isEqualTo("moocit:course_completion:eve|course-v1:C");
            assertThat((String) d.get("reason")).contains("completion 'lots' is not a decimal number");
        });
        // chunks of 3: two files, together every record once, each a canonical record a line
        assertThat(service.files()).hasSize(2).allSatisfy(f -> assertThat(f.toString())
                .matches(".*/out/moocit/course_completion/\\d{4}-\\d{2}-\\d{2}/moocit-course-completions-run1-0000[12]\\.ndjson"));
        assertThat(service.recordLines()).hasSize(5).allSatisfy(line -> assertThat(line)
                .startsWith("{\"record_id\":\"moocit:course_completion:").contains("\"schema_version\":1"));
        Map<String, Object> run = service.lastRun();
        assertThat(run).containsEntry("status", "succeeded").containsEntry("fetched", 6L).containsEntry("inserted", 5L)
                .containsEntry("updated", 0L).containsEntry("unchanged", 0L).containsEntry("deleted", 0L)
                .containsEntry("dead_lettered", 1L);
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor WHERE stream = 'moocit-course-completions'"))
                .isEqualTo(1);
    }

    @Test
    void everyCallCarriesTheHeadersMoocitsPageRequires() throws Exception {
        answers(answer(FIVE));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        moocit.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Access-Control-Request-Headers", equalTo("authorization")));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(5);
    }

    @Test
    void aSecondRunOverAnUnchangedSnapshotWritesNothing() throws Exception {
        answers(answer(FIVE));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        String rowsBefore = service.query("SELECT * FROM learning_record ORDER BY record_id").toString();
        var filesBefore = service.files();

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("fetched", 5L).containsEntry("inserted", 0L)
                .containsEntry("updated", 0L).containsEntry("unchanged", 5L).containsEntry("deleted", 0L);
        assertThat(service.query("SELECT * FROM learning_record ORDER BY record_id").toString()).isEqualTo(rowsBefore);
        assertThat(service.files()).isEqualTo(filesBefore);
    }

    @Test
    void aChangedRecordIsUpdatedInPlaceAndWrittenOnceMore() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        answers(answer(FIVE[0], "ben,course-v1:A,1", "cy,course-v1:A,0.5", FIVE[3], FIVE[4]));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("updated", 1L).containsEntry("unchanged", 4L)
                .containsEntry("inserted", 0L);
        assertThat(service.query("SELECT status, progress FROM learning_record WHERE learner_username = 'cy'"))
                .containsExactly(Map.of("status", "in_progress", "progress", 0.5));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(5);
        assertThat(service.recordLines()).hasSize(6).last().asString().contains("\"username\":\"cy\"");
    }

    @Test
    void aRowGoneFromACompleteSnapshotBecomesATombstoneOnceAndComesBackIfItReturns() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        answers(answer(FIVE[0], FIVE[1], FIVE[3], FIVE[4]));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("deleted", 1L).containsEntry("unchanged", 4L);
        assertThat(service.query("SELECT record_id, status, progress FROM learning_record WHERE is_deleted"))
                .as("the tombstone marks the row deleted and keeps its last content")
                .containsExactly(Map.of("record_id", "moocit:course_completion:cy|course-v1:A",
                        "status", "not_started", "progress", 0.0));
        assertThat(service.recordLines()).filteredOn(l -> l.contains("\"is_deleted\":true")).singleElement()
                .asString().contains("cy|course-v1:A");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).as("a tombstone is delivered once").containsEntry("deleted", 0L);

        answers(answer(FIVE));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("updated", 1L).containsEntry("unchanged", 4L);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isZero();
    }

    @Test
    void theSameRecordTwiceInOneAnswerIsDeliveredOnceTheLaterCopyWinningAndCounted() throws Exception {
        answers(answer("ana,course-v1:A,0.2", "ana,course-v1:A,0.4"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("fetched", 2L).containsEntry("inserted", 1L)
                .containsEntry("updated", 0L).containsEntry("duplicates", 1L);
        assertThat(service.query("SELECT progress FROM learning_record")).containsExactly(Map.of("progress", 0.4));
        assertThat(service.recordLines()).singleElement().asString().contains("\"progress\":0.4");
    }

    @Test
    void copiesOfARecordInDifferentChunksReachTheSinksOnceSoACompletionNeverFlips() throws Exception {
        // chunks of 3: ana's completed copy in the first chunk, her in-progress one, later, in the third
        answers(answer("ana,course-v1:A,1", "ben,course-v1:A,1", "cy,course-v1:A,1", "dee,course-v1:A,1",
                "eve,course-v1:A,1", "fay,course-v1:A,1", "ana,course-v1:A,0.5", "gil,course-v1:A,1"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.recordLines()).hasSize(7).filteredOn(l -> l.contains("\"username\":\"ana\""))
                .singleElement().asString().contains("\"progress\":0.5", "\"status\":\"in_progress\"");
        assertThat(service.lastRun()).containsEntry("fetched", 8L).containsEntry("inserted", 7L)
                .containsEntry("duplicates", 1L);
    }

    @Test
    void aServerErrorIsRetriedAndTheRunThenSucceeds() throws Exception {
        moocit.stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(serverError()).willSetStateTo("recovered"));
        moocit.stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(answer(FIVE))));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        moocit.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("inserted", 5L);
    }

    @Test
    void aServerErrorThatPersistsFailsTheRunAndLeavesTheStateExactlyAsItWas() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        String before = service.state();
        answers(serverError().withBody("{\"message\": \"down for maintenance\"}"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        moocit.verify(1 + 3, getRequestedFor(urlPathEqualTo(PATH))); // the good run, then 1 try + 2 retries
        assertThat(service.lastRun()).containsEntry("status", "failed");
        assertThat((String) service.lastRun().get("error")).contains("500");
        assertThat(service.state()).isEqualTo(before);
    }

    @Test
    void anAnswerCutOffMidStreamFailsTheRunAndChangesNothing() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        String before = service.state();
        answers(aResponse().withStatus(200).withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(service.lastRun()).containsEntry("status", "failed").containsEntry("fetched", 0L);
        assertThat(service.state()).isEqualTo(before);
    }

    @Test
    void aMalformedAnswerSaysWhereItBrokeAndDeliversNothingOfIt() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        String before = service.state();
        // the first records are well formed and changed, and a snapshot without the rest would delete them
        String broken = answer("ana,course-v1:A,0.9", "ben,course-v1:A,0.1").replace("]", ",\n{\"username\": \"x\" oops}]");
        answers(broken);

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(service.lastRun()).containsEntry("status", "failed").containsEntry("fetched", 0L);
        assertThat((String) service.lastRun().get("error"))
                .contains("moocit answer for moocit-course-completions is not valid JSON at line 3, column");
        assertThat(service.state()).isEqualTo(before);
    }

    @Test
    void rejectedCredentialsFailTheStreamAtOnceNamingTheSettingAndMoveNoCursor() throws Exception {
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(unauthorized()));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        moocit.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat((String) service.lastRun().get("error"))
                .isEqualTo("MOOCit rejected the credentials (HTTP 401): check moocit.token (MOOCIT_TOKEN)");
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();
    }

    @Test
    void aSinkThatFailsStopsTheStreamAndTheNextRunDeliversEverythingOnce() throws Exception {
        answers(answer(FIVE));
        Path out = dir.resolve("out");
        Files.writeString(out, "not a folder: the file sink cannot write here");

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(service.lastRun()).containsEntry("status", "failed");
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).as("no chunk counts as delivered").isZero();
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();

        Files.delete(out);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("inserted", 5L);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(5);
        assertThat(service.recordLines()).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void withOnlyTheFileSinkRecordsAndDeadLettersGoToFilesAndTheRecordTableStaysEmpty() throws Exception {
        answers(answer(FIVE[0], FIVE[1], "eve,course-v1:C,lots"));
        service.with("sync.sinks", "file");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isZero();
        assertThat(service.recordLines()).hasSize(2);
        assertThat(service.files()).filteredOn(f -> f.toString().contains("/out/dead-letter/")).singleElement()
                .satisfies(f -> assertThat(Files.readString(f)).contains(
                        "\"record_id\":\"moocit:course_completion:eve|course-v1:C\"",
                        "\"reason\":\"completion 'lots' is not a decimal number\"", "course-v1:C"));
        assertThat(service.count("SELECT COUNT(*) FROM dead_letter")).isEqualTo(1);
    }

    @Test
    void anEmptySnapshotAfterAFullOneDeletesNothingAndHoldsItsDeletions() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        answers("[]");

        assertThat(service.runOnce()).isEqualTo(RunOnce.DELETIONS_HELD);

        assertThat(service.lastRun()).containsEntry("fetched", 0L).containsEntry("deleted", 0L)
                .containsEntry("held", 5L).containsEntry("status", "succeeded");
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isZero();
    }

    @Test
    void noWorkFileOrHalfWrittenFileIsLeftBehind() throws Exception {
        answers(answer(FIVE));
        service.runOnce();
        answers(serverError());
        service.runOnce();

        try (var work = Files.list(dir.resolve("work"))) {
            assertThat(work).isEmpty();
        }
        assertThat(service.files()).noneMatch(f -> f.getFileName().toString().startsWith("."));
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sink.xapi.XapiStatements;
import io.lmssync.sync.RunOnce;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xapi sink end to end: the real service syncing a simulated MOOCit into H2 and into a real LRS (Learning
 * Locker's statement service, {@link TestLrs}), counted in what the LRS shows and in the calls it took.
 */
class XapiSinkTest {

    private static final String PATH = "/api/so2/v1/completion";
    private static final String RECORD_ID = XapiStatements.RECORD_ID;

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    TestLrs lrs;
    TestService service;

    @BeforeEach
    void setUp() throws Exception {
        lrs = new TestLrs(dir);
        service = database(TestService.readingMoocit(dir, moocit.baseUrl())).with("sync.sinks", "jdbc,xapi")
                .with("sync.chunk-size", "50")
                .with("sync.xapi.endpoint", lrs.endpoint())
                .with("sync.xapi.username", TestLrs.KEY)
                .with("sync.xapi.password", TestLrs.SECRET);
    }

    /** Where the sync state, the xapi ledger and the jdbc sink live: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    @AfterEach
    void stopLrs() throws Exception {
        lrs.close();
    }

    /** MOOCit's snapshot: learners from..to-1 on one course, the first `complete` of them complete, the rest half. */
    static String learners(int from, int to, int complete) {
        List<String> entries = new ArrayList<>();
        for (int i = from; i < to; i++) {
            entries.add("learner" + i + ",course-v1:X," + (i < complete ? "1" : "0.5"));
        }
        return MoocitSyncTest.answer(entries.toArray(String[]::new));
    }

    private void answers(String body) {
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(body)));
    }

    private static List<String> recordIds(List<JsonNode> statements) {
        return statements.stream().map(s -> s.at("/context/extensions").get(RECORD_ID).asText()).toList();
    }

    @Test
    void twoHundredRecordsEighteenCompleteLeaveEighteenCompletedStatementsAndAnUnchangedRunSendsNone()
            throws Exception {
        answers(learners(0, 200, 18));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<JsonNode> completed = lrs.statements("completed");
        assertThat(completed).hasSize(18);
        assertThat(recordIds(completed)).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("moocit:course_completion:learner(\\d|1[0-7])\\|course-v1:X"));
        assertThat(completed).allSatisfy(s -> {
            assertThat(s.at("/actor/account/homePage").asText()).isEqualTo("https://localhost");
            assertThat(s.at("/actor/account/name").asText()).startsWith("learner");
            assertThat(s.at("/actor/mbox").isMissingNode()).as("no e-mail by default").isTrue();
            assertThat(s.at("/object/id").asText()).isEqualTo(
                    "https://localhost/xapi/activities/moocit/course-v1%3AX");
            assertThat(s.at("/context/platform").asText()).isEqualTo("moocit");
            assertThat(s.at("/result/completion").asBoolean()).isTrue();
        });
        assertThat(TestLrs.independentProblems(completed)).as("xapi-validation's opinion").isEmpty();
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(200);
        long calls = lrs.statementCalls();
        assertThat(calls).as("one POST a chunk with completions").isEqualTo(1);

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(lrs.statementCalls()).as("an unchanged run sends nothing").isEqualTo(calls);
        assertThat(lrs.statements("completed")).hasSize(18);
    }

    @Test
    void aCompletedRecordThatVanishesIsVoidedOnceAndGetsANewStatementWhenItReturns() throws Exception {
        answers(learners(0, 200, 18));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        String gone = "moocit:course_completion:learner5|course-v1:X";
        String goneId = lrs.statements("completed").stream()
                .filter(s -> s.at("/context/extensions").get(RECORD_ID).asText().equals(gone))
                .findFirst().orElseThrow().get("id").asText();

        List<String> without = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i != 5) {
                without.add("learner" + i + ",course-v1:X," + (i < 18 ? "1" : "0.5"));
            }
        }
        answers(MoocitSyncTest.answer(without.toArray(String[]::new)));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<JsonNode> voiding = lrs.statements("voided");
        assertThat(voiding).singleElement().satisfies(v -> {
            assertThat(v.at("/object/objectType").asText()).isEqualTo("StatementRef");
            assertThat(v.at("/object/id").asText()).isEqualTo(goneId);
            assertThat(v.at("/context/extensions").get(RECORD_ID).asText()).isEqualTo(gone);
        });
        assertThat(TestLrs.independentProblems(voiding)).isEmpty();
        assertThat(recordIds(lrs.statements("completed"))).hasSize(17).doesNotContain(gone);

        answers(learners(0, 200, 18));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<JsonNode> back = lrs.statements("completed");
        assertThat(back).hasSize(18);
        assertThat(back).filteredOn(s -> s.at("/context/extensions").get(RECORD_ID).asText().equals(gone))
                .singleElement().satisfies(s -> assertThat(s.get("id").asText()).isNotEqualTo(goneId));
        assertThat(lrs.statements("voided")).hasSize(1);
    }

    @Test
    void anLrsDownForARunLosesNothingAndTheNextRunDeliversEveryStatementOnce() throws Exception {
        answers(learners(0, 200, 10));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(lrs.statements("completed")).hasSize(10);

        answers(learners(0, 200, 18));
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String up = service.settings.get("sync.xapi.endpoint");
        service.with("sync.xapi.endpoint", "http://127.0.0.1:" + closed + "/xAPI");
        assertThat(service.runOnce()).as("the LRS is down").isEqualTo(RunOnce.STREAM_FAILED);
        assertThat(lrs.statements("completed")).hasSize(10);

        service.with("sync.xapi.endpoint", up);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<JsonNode> completed = lrs.statements("completed");
        assertThat(completed).hasSize(18);
        assertThat(recordIds(completed)).doesNotHaveDuplicates();
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE status = 'completed'")).isEqualTo(18);
    }

    @Test
    void aRecordThatCannotBecomeAValidStatementIsADeadLetterWithTheReasonAndTheOthersAreSent() throws Exception {
        service.with("sync.xapi.actor", "mbox");
        // learner3 has no e-mail: an mbox actor cannot name them
        answers(learners(0, 20, 18).replace("\"email\":\"learner3@example.com\",", ""));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<JsonNode> completed = lrs.statements("completed");
        assertThat(completed).hasSize(17).allSatisfy(s -> assertThat(s.at("/actor/mbox").asText())
                .matches("mailto:learner\\d+@example.com"));
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).singleElement().satisfies(d -> {
            assertThat(d.get("record_id")).isEqualTo("moocit:course_completion:learner3|course-v1:X");
            assertThat((String) d.get("reason")).contains("cannot become a valid xAPI statement");
        });
    }

    @Test
    void theCheckFindsAnLrsOfXapiOneDotZeroThatTakesTheKeyAndSecretAndSendsNoStatement() throws Exception {
        TestService.Checked checked = service.check("xapi");
        assertThat(checked.exit()).as(checked.output()).isEqualTo(RunOnce.OK);
        assertThat(checked.output()).contains("it speaks xAPI [1.0.3]", "the key and secret are taken");

        TestService.Checked refused = service.with("sync.xapi.password", "not-the-secret").check("xapi");
        assertThat(refused.exit()).isNotEqualTo(RunOnce.OK);
        assertThat(refused.output()).contains("failed", "HTTP 401", "sync.xapi.password")
                .doesNotContain("not-the-secret");
        assertThat(lrs.statementCalls()).isZero();
    }

    @Test
    void aStatementTheLrsRefusesWith400IsolatesItsRecordIntoTheDeadLettersAndTheOthersAreSent() throws Exception {
        service.with("sync.xapi.actor", "mbox");
        // an address without a top-level domain: lms-sync's schema lets it pass, the LRS's validator refuses it
        answers(learners(0, 20, 18).replace("learner3@example.com", "learner3@intranet"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(lrs.statements("completed")).hasSize(17);
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).singleElement().satisfies(d -> {
            assertThat(d.get("record_id")).isEqualTo("moocit:course_completion:learner3|course-v1:X");
            assertThat((String) d.get("reason")).startsWith("the LRS refused it (HTTP 400)");
        });
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).as("the refused record did not count")
                .isEqualTo(19);
    }

    @Test
    void a503AndA429WithRetryAfterAreRetriedWithinTheRunAndTheLrsHoldsEachStatementOnce() throws Exception {
        WireMockServer front = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        front.start();
        try {
            String lrsBase = lrs.endpoint().replace("/xAPI", "");
            front.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(lrsBase)));
            front.stubFor(post(urlPathEqualTo("/xAPI/statements")).inScenario("faults").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("busy"));
            front.stubFor(post(urlPathEqualTo("/xAPI/statements")).inScenario("faults").whenScenarioStateIs("busy")
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("up"));
            front.stubFor(post(urlPathEqualTo("/xAPI/statements")).inScenario("faults").whenScenarioStateIs("up")
                    .willReturn(aResponse().proxiedFrom(lrsBase)));
            answers(learners(0, 200, 18));

            assertThat(service.with("sync.xapi.endpoint", front.baseUrl() + "/xAPI").runOnce()).isEqualTo(RunOnce.OK);

            front.verify(3, postRequestedFor(urlPathEqualTo("/xAPI/statements")));
            assertThat(lrs.statementCalls()).as("the LRS itself took one POST").isEqualTo(1);
            assertThat(recordIds(lrs.statements("completed"))).hasSize(18).doesNotHaveDuplicates();
        } finally {
            front.stop();
        }
    }

    @Test
    void anLrsAnsweringAnotherXapiVersionFailsTheRunNamingItAndNothingCounts() throws Exception {
        WireMockServer other = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        other.start();
        try {
            other.stubFor(post(urlPathEqualTo("/xAPI/statements")).willReturn(okJson("[]")
                    .withHeader("X-Experience-API-Version", "2.0.0")));
            answers(learners(0, 20, 5));

            assertThat(service.with("sync.xapi.endpoint", other.baseUrl() + "/xAPI").runOnce())
                    .isEqualTo(RunOnce.STREAM_FAILED);

            assertThat((String) service.lastRun().get("error")).contains("X-Experience-API-Version: 2.0.0",
                    "lms-sync speaks xAPI 1.0.x");
            assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();
        } finally {
            other.stop();
        }
    }

    @Test
    void aProxyRefusingTheCredentialsWithoutTheLrsVersionHeaderIsNamedAsTheCredentials() throws Exception {
        WireMockServer proxy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        try {
            proxy.stubFor(post(urlPathEqualTo("/xAPI/statements")).willReturn(aResponse().withStatus(401)));
            answers(learners(0, 20, 5));

            assertThat(service.with("sync.xapi.endpoint", proxy.baseUrl() + "/xAPI").runOnce())
                    .isEqualTo(RunOnce.STREAM_FAILED);

            assertThat((String) service.lastRun().get("error")).contains("rejected the credentials (HTTP 401)",
                    "sync.xapi.username and sync.xapi.password").doesNotContain("X-Experience-API-Version");
            assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();
        } finally {
            proxy.stop();
        }
    }

    @Test
    void anActivityBaseWithoutASchemeStopsTheStartNamingItRatherThanDeadLetteringEveryCompletion() {
        assertThatThrownBy(() -> service.with("sync.xapi.activity-base", "lrs.example.com/activities").runOnce())
                .hasStackTraceContaining("sync.xapi.activity-base must be an absolute IRI")
                .hasStackTraceContaining("'lrs.example.com/activities'");
    }

    @Test
    void statementsSentAgainAfterTheLedgerForgotThemAreTheSameStatementsAndTheLrsHoldsEachOnce() throws Exception {
        answers(learners(0, 200, 18));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        // a crash between the LRS's answer and the ledger's commit: lms-sync no longer knows what the LRS took
        try (var c = java.sql.DriverManager.getConnection(service.settings.get("sync.jdbc.url"),
                service.settings.get("sync.jdbc.username"), service.settings.get("sync.jdbc.password"))) {
            c.createStatement().executeUpdate("DELETE FROM xapi_statement");
        }
        long calls = lrs.statementCalls();
        // every record changed (its e-mail, which the account actor does not carry): all of them delivered again
        answers(learners(0, 200, 18).replace("@example.com", "@example.org"));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(lrs.statementCalls()).as("the same 18 statements sent again, in one POST").isEqualTo(calls + 1);
        assertThat(recordIds(lrs.statements("completed"))).hasSize(18).doesNotHaveDuplicates();
        assertThat(service.count("SELECT COUNT(*) FROM xapi_statement")).isEqualTo(18);
    }

    @Test
    void aStoreThatAlreadyHoldsRecordsBackfillsTheLrsWhenXapiIsAdded() throws Exception {
        answers(learners(0, 200, 18));
        assertThat(service.with("sync.sinks", "jdbc").runOnce()).isEqualTo(RunOnce.OK);
        assertThat(lrs.statementCalls()).isZero();

        assertThat(service.with("sync.sinks", "jdbc,xapi").runOnce()).isEqualTo(RunOnce.OK);

        assertThat(lrs.statements("completed")).hasSize(18);
        moocit.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.record.Json;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * First contact with a tenant ({@code --check}) against simulated vendors as strict as their pages: a healthy tenant
 * passes in a few requests and nothing is written; each guess of ours a tenant can prove wrong (a child path, a sort
 * key, a page size, the paging, Thrive's path and scope) fails the check naming the setting to fix, and a stream
 * whose check fails does not start its first sync.
 */
class FirstContactTest {

    private static final String COMPLETIONS = "/api/so2/v1/completion";

    private final AbsorbSimulator absorb = new AbsorbSimulator();
    private final ThriveSimulator thrive = new ThriveSimulator();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final WireMockExtension thriveServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(thrive)).build();

    @TempDir
    Path dir;

    private TestService service;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() {
        absorbServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        thriveServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        moocit.stubFor(get(urlPathEqualTo(COMPLETIONS)).withHeader("Authorization",
                equalTo("Bearer " + TestService.TOKEN)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("[" + completion("ana", "1.0") + ","
                                + completion("ben", "0.5") + "]")));
        absorb.enroll("c1", 50, now.minus(1, ChronoUnit.DAYS));
        absorb.lessonsPerEnrollment = 2;
        service = AbsorbSimulator.readBy(TestService.readingMoocit(dir, moocit.baseUrl()), absorbServer.baseUrl(), now)
                .with("absorb.lesson-enrollments", "true")
                .with("absorb.requests-per-minute", "1000").with("absorb.rate-period-ms", "1000");
    }

    private static String completion(String user, String completion) {
        return "{\"username\":\"" + user + "\",\"email\":\"" + user + "@example.com\",\"course_id\":\"course-v1:X\","
                + "\"completion\":\"" + completion + "\"}";
    }

    private long requests() {
        return absorbServer.getAllServeEvents().size() + moocit.getAllServeEvents().size()
                + thriveServer.getAllServeEvents().size();
    }

    @Test
    void aHealthyTenantPassesInAFewRequestsAndNothingIsWrittenOrMoved() throws Exception {
        TestService.Checked checked = service.check();

        assertThat(checked.exit()).as(checked.output()).isEqualTo(RunOnce.OK);
        assertThat(checked.output()).contains("absorb-course-enrollments", "absorb-lesson-enrollments",
                "moocit-course-completions").doesNotContain("failed  ");
        assertThat(requests()).as("every request at the simulated vendors, the token's included").isLessThanOrEqualTo(30);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isZero();
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();
        assertThat(service.files()).isEmpty();
        assertThat(service.query("SELECT stream, outcome FROM stream_check ORDER BY stream"))
                .extracting(r -> r.get("stream") + "=" + r.get("outcome"))
                .containsExactly("absorb-course-enrollments=ok", "absorb-lesson-enrollments=ok",
                        "moocit-course-completions=ok");
        assertThat(checked.output()).as("no secret and no learner's address")
                .doesNotContain(TestService.TOKEN, AbsorbSimulator.KEY, "absorb-test-password", "@example.com");
    }

    @Test
    void aWrongChildPathFailsTheCheckAndTheChildsRunNamingTheSetting() throws Exception {
        service.with("absorb.lesson-enrollments-path", "/users/{userId}/courses/{courseId}/lessons");

        TestService.Checked checked = service.check();
        assertThat(checked.exit()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat(checked.output()).contains("absorb-lesson-enrollments", "failed",
                "absorb.lesson-enrollments-path");

        // a sync, unchecked: the child stream's run fails rather than succeed with no lessons
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        Map<String, Object> lessons = service.query("SELECT status, error FROM sync_run WHERE stream = "
                + "'absorb-lesson-enrollments'").get(0);
        assertThat(lessons.get("status")).isEqualTo("failed");
        assertThat((String) lessons.get("error")).contains("absorb.lesson-enrollments-path", "which is there");
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE record_type = 'course_enrollment'"))
                .isEqualTo(50);
    }

    @Test
    void aStreamThatNeverSyncedDoesNotStartWhileItsCheckFailsUnlessAnOperatorOverridesIt() throws Exception {
        service.with("absorb.lesson-enrollments-path", "/users/{userId}/courses/{courseId}/lessons")
                .with("sync.check.first-sync", "true");

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        Map<String, Object> lessons = service.query("SELECT status, error, fetched FROM sync_run WHERE stream = "
                + "'absorb-lesson-enrollments'").get(0);
        assertThat(lessons.get("status")).isEqualTo("failed");
        assertThat((String) lessons.get("error")).contains("first-contact check failed",
                "absorb.lesson-enrollments-path", "sync.check.override=absorb-lesson-enrollments");
        assertThat(service.query("SELECT status FROM sync_run WHERE stream = 'absorb-course-enrollments'").get(0))
                .containsEntry("status", "succeeded");
        assertThat(service.query("SELECT outcome FROM stream_check WHERE stream = 'absorb-lesson-enrollments'")
                .get(0)).containsEntry("outcome", "failed");

        // overridden, it starts (and its run then fails on the path, as it must, rather than sync nothing)
        service.with("sync.check.override", "absorb-lesson-enrollments");
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat(service.query("SELECT error FROM sync_run WHERE stream = 'absorb-lesson-enrollments' ORDER BY id "
                + "DESC").get(0).get("error")).as("the run itself asked Absorb, and the path was wrong").asString()
                .contains("which is there", "absorb.lesson-enrollments-path").doesNotContain("first-contact");
    }

    @Test
    void aSortKeyTheTenantDoesNotAllowFailsTheCheckNamingAbsorbSort() throws Exception {
        absorb.sortable.remove("id");

        TestService.Checked checked = service.check("absorb-course-enrollments");

        assertThat(checked.exit()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat(checked.output()).contains("sort", "without _sort=dateEdited,id is answered", "absorb.sort");
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat((String) service.query("SELECT error FROM sync_run WHERE stream = 'absorb-course-enrollments'")
                .get(0).get("error")).contains("HTTP 400", "does not allow sorting", "absorb.sort");
    }

    @Test
    void aTenantServingAHundredAPageWhenAskedForFiveHundredYieldsEveryCourseEnrollment() throws Exception {
        absorb.enrollments.clear();
        absorb.enroll("c1", 1234, now.minus(1, ChronoUnit.DAYS));
        absorb.maxLimit = 100;
        service.with("absorb.page-size", "500").with("absorb.lesson-enrollments", "false")
                .with("moocit.enabled", "false").with("sync.chunk-size", "500");

        TestService.Checked checked = service.check();
        assertThat(checked.exit()).isEqualTo(RunOnce.OK);
        assertThat(checked.output()).contains("asked for 500 a page, served 100 of 1234: a sync follows at 100");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE record_type = 'course_enrollment'"))
                .isEqualTo(1234);
        assertThat(service.count("SELECT COUNT(DISTINCT record_id) FROM learning_record")).isEqualTo(1234);
    }

    @Test
    void moocitsBareObjectsSeparatedByCommasOrNewlinesAreSyncedAsTheArrayTheyStandFor() throws Exception {
        moocit.stubFor(get(urlPathEqualTo(COMPLETIONS)).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion("ana", "1.0") + ", \n"
                        + completion("ben", "0.5") + "\n" + completion("cy", "0.80") + "\n")));
        service.with("absorb.enabled", "false");

        assertThat(service.check().exit()).isEqualTo(RunOnce.OK);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.query("SELECT source_record_id FROM learning_record ORDER BY source_record_id"))
                .extracting(r -> r.get("source_record_id"))
                .containsExactly("ana|course-v1:X", "ben|course-v1:X", "cy|course-v1:X");
    }

    @Test
    void thriveIsProvenWithoutCreatingACompletionAndAWrongPathOrScopeFailsNamingTheSetting() throws Exception {
        Path users = Files.writeString(dir.resolve("users.csv"), "email,thrive user\n");
        Path contents = Files.writeString(dir.resolve("contents.csv"), "content,thrive content\n");
        ThriveSimulator.pushedToBy(service, thriveServer.baseUrl(), users, contents)
                .with("sync.sinks", "jdbc,thrive").with("absorb.enabled", "false");

        TestService.Checked checked = service.check("thrive");
        assertThat(checked.exit()).as(checked.output()).isEqualTo(RunOnce.OK);
        assertThat(checked.output()).contains("thrive", "refused it as invalid", "completedAt");
        assertThat(thrive.received).extracting(ThriveSimulator.Received::status).containsOnly(422);

        service.with("thrive.completions-path", "/v1/learning/completions");
        assertThat(service.check("thrive").output()).contains("failed", "thrive.completions-path");
        service.with("thrive.completions-path", "/rest/v1/learning/completions").with("thrive.scope", "api/read");
        assertThat(service.check("thrive").output()).contains("failed", "thrive.scope");
        assertThat(thrive.received).extracting(ThriveSimulator.Received::status).as("nothing was ever created")
                .containsOnly(422);
    }

    @Test
    void theJsonReportSaysEachChecksResultAndNamesNoSecret() throws Exception {
        service.with("absorb.lesson-enrollments-path", "/users/{userId}/x/{courseId}");

        TestService.Checked checked = service.check("--json");

        JsonNode report = Json.MAPPER.readTree(checked.output());
        assertThat(report.get("outcome").asText()).isEqualTo("failed");
        assertThat(report.get("requests").asLong()).isPositive();
        List<String> failed = new java.util.ArrayList<>();
        report.get("checks").forEach(c -> {
            if (c.get("result").asText().equals("failed")) {
                failed.add(c.get("stream").asText() + "/" + c.get("check").asText() + "/" + c.get("setting").asText());
            }
        });
        assertThat(failed).containsExactly("absorb-lesson-enrollments/path/absorb.lesson-enrollments-path");
        assertThat(checked.output()).doesNotContain(AbsorbSimulator.KEY, TestService.TOKEN);
        assertThat(service.check("no-such-stream").exit()).isEqualTo(RunOnce.NOT_RUN);
    }
}

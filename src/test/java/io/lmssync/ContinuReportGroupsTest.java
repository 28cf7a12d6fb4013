package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continu's report groups as streams described by settings, end to end: the real service against a simulated
 * Reporting API, into a real H2, real files and a real Kafka broker.
 */
class ContinuReportGroupsTest {

    @RegisterExtension
    final WireMockExtension continu = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private TestService service;

    @BeforeEach
    void setUp() {
        service = new TestService(dir)
                .with("continu-reporting.enabled", "true")
                .with("continu-reporting.base-url", continu.baseUrl() + "/api/v1")
                .with("continu-reporting.token", "reporting-token")
                .with("continu-reporting.start-date", Instant.now().minus(10, ChronoUnit.DAYS).toString())
                .with("sync.settle-lag", "PT0S")
                .with("continu-reporting.content-completion.enabled", "false");
    }

    private void report(String group, String rows) {
        continu.stubFor(post(urlPathMatching("/api/v1/reports/" + group + "/\\d+/\\d+"))
                .withHeader("Authorization", equalTo("reporting-token")).willReturn(okJson(rows)));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        TestKafka.close();
    }

    @Test
    void aGroupWithCompositeIdFieldsUpsertsByThemAndAsksForAllUsers() throws Exception {
        service.with("continu-reporting.assessment-status.enabled", "true")
                .with("continu-reporting.assessment-status.id-fields", "assessment_id,user_id")
                .with("continu-reporting.assessment-status.range-target", "updated_date");
        long updated = Instant.now().minus(1, ChronoUnit.DAYS).getEpochSecond();
        report("assessment-status", "[" + row("as-1", "11", 80, updated) + "," + row("as-1", "12", 60, updated) + ","
                + row("as-2", "11", 90, updated) + "]");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.query("SELECT source_record_id FROM learning_record WHERE record_type = 'assessment' "
                + "ORDER BY source_record_id")).extracting(r -> r.get("source_record_id"))
                .containsExactly("as-1/11", "as-1/12", "as-2/11");
        assertThat(continu.findAll(postRequestedFor(urlPathMatching("/api/v1/reports/assessment-status/.*"))))
                .allSatisfy(request -> assertThat(request.getBodyAsString()).contains("\"user_filter\":{}",
                        "\"range_target\":\"updated_date\""));

        // one row changes, one is new: by the composite key, an update and an insert, the rest unchanged
        report("assessment-status", "[" + row("as-1", "11", 95, updated + 60) + "," + row("as-1", "12", 60, updated)
                + "," + row("as-2", "11", 90, updated) + "," + row("as-2", "12", 70, updated + 60) + "]");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("stream", "continu-reporting-assessment-status")
                .containsEntry("inserted", 1L).containsEntry("updated", 1L).containsEntry("unchanged", 2L);
        assertThat(service.query("SELECT score_percent FROM learning_record WHERE record_id = "
                + "'continu:assessment:as-1/11'").get(0)).containsEntry("score_percent", 95.0);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(4);
    }

    @Test
    void aRawOnlyGroupLandsInTheArchiveTheFilesAndKafkaAndNowhereElse() throws Exception {
        String rawTopic = "lms-raw-" + UUID.randomUUID();
        service.with("continu-reporting.user-engagement.enabled", "true")
                .with("continu-reporting.user-engagement.id-fields", "user_id,content_id")
                .with("sync.sinks", "jdbc,kafka,file")
                .with("sync.kafka.brokers", TestKafka.brokers())
                .with("sync.kafka.topic", "lms-records-" + UUID.randomUUID())
                .with("sync.kafka.raw-topic", rawTopic);
        report("user-engagement", "[{\"user_id\": \"11\", \"content_id\": \"v-77\", \"views\": 4},"
                + "{\"user_id\": \"11\", \"content_id\": \"a-12\", \"views\": 1},"
                + "{\"user_id\": \"12\", \"content_id\": \"a-12\", \"views\": 2},"
                + "{\"user_id\": \"13\", \"views\": 9}]");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT object_id FROM raw_object WHERE stream = "
                + "'continu-reporting-user-engagement' ORDER BY object_id")).extracting(r -> r.get("object_id"))
                .containsExactly("11/a-12", "11/v-77", "12/a-12");
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isZero();
        assertThat(service.query("SELECT reason FROM dead_letter")).extracting(r -> r.get("reason"))
                .containsExactly("has no user_id, content_id (the stream's id fields)");
        List<String> lines;
        try (var files = Files.walk(dir.resolve("out/raw/continu-reporting-user-engagement"))) {
            lines = files.filter(Files::isRegularFile).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).contains("\"views\""));
        assertThat(TestKafka.readAll(rawTopic)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "continu-reporting-user-engagement:11/v-77", "continu-reporting-user-engagement:11/a-12",
                "continu-reporting-user-engagement:12/a-12");

        // the same rows again: nothing is archived, mirrored or sent twice
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(TestKafka.readAll(rawTopic)).hasSize(3);
        try (var files = Files.walk(dir.resolve("out/raw/continu-reporting-user-engagement"))) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void aGroupSwitchedOnWithoutIdFieldsStopsTheStartNamingTheSetting() {
        service.with("continu-reporting.track-status.enabled", "true");
        assertThatThrownBy(() -> service.runOnce()).hasStackTraceContaining(
                "continu-reporting.track-status.id-fields must name the fields that identify a track-status row");
    }

    @Test
    void aRawGroupWithTheArchiveSwitchedOffStopsTheStartNamingBothSettings() {
        service.with("continu-reporting.user-engagement.enabled", "true")
                .with("continu-reporting.user-engagement.id-fields", "user_id,content_id")
                .with("sync.raw-archive.enabled", "false");
        assertThatThrownBy(() -> service.runOnce()).hasStackTraceContaining(
                "continu-reporting.user-engagement.enabled=true keeps user-engagement raw").hasStackTraceContaining(
                "sync.raw-archive.enabled=true");
    }

    private static String row(String assessment, String user, int score, long updated) {
        return "{\"assessment_id\": \"" + assessment + "\", \"user_id\": \"" + user + "\", \"email\": \"" + user
                + "@example.com\", \"status\": \"passed\", \"score\": " + score + ", \"completed_date\": " + updated
                + ", \"updated_date\": " + updated + "}";
    }
}

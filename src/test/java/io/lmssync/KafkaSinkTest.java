package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.AbsorbSimulator.Enrollment;
import io.lmssync.record.Json;
import io.lmssync.sync.RunOnce;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The kafka sink against a real broker (Kafka's KRaft test kit), read back by a real consumer. */
class KafkaSinkTest {

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @TempDir
    Path dir;

    private final String topic = "lms-test-" + UUID.randomUUID();

    private TestService moocit() throws Exception {
        return TestService.readingMoocit(dir, moocit.baseUrl())
                .with("sync.sinks", "jdbc,kafka")
                .with("sync.kafka.brokers", TestKafka.brokers())
                .with("sync.kafka.topic", topic);
    }

    private void moocitAnswers(String... completions) {
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(MoocitSyncTest.answer(completions))));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        TestKafka.close();
    }

    private static String header(ConsumerRecord<String, String> message, String name) {
        Header header = message.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void everyRecordIsPublishedOnceKeyedByRecordIdAndADeletionAlsoAsATombstone() throws Exception {
        TestService service = moocit();
        moocitAnswers("ana,course-v1:A,0.80", "ben,course-v1:A,1", "cy,course-v1:A,0");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<ConsumerRecord<String, String>> first = TestKafka.readAll(topic);
        assertThat(first).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "moocit:course_completion:ana|course-v1:A", "moocit:course_completion:ben|course-v1:A",
                "moocit:course_completion:cy|course-v1:A");
        assertThat(first).allSatisfy(m -> {
            Map<?, ?> value = Json.MAPPER.readValue(m.value(), Map.class);
            assertThat(value.get("record_id")).isEqualTo(m.key());
            assertThat(header(m, "source")).isEqualTo("moocit");
            assertThat(header(m, "record_type")).isEqualTo("course_completion");
            assertThat(header(m, "schema_version")).isEqualTo("1");
        });

        // unchanged records are not sent again; cy is gone from the snapshot
        moocitAnswers("ana,course-v1:A,0.80", "ben,course-v1:A,1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<ConsumerRecord<String, String>> all = TestKafka.readAll(topic);
        List<ConsumerRecord<String, String>> second = all.subList(first.size(), all.size());
        assertThat(second).extracting(ConsumerRecord::key).containsOnly("moocit:course_completion:cy|course-v1:A")
                .hasSize(2);
        assertThat(second.get(0).value()).as("the deletion carries the record's last content").contains(
                "\"is_deleted\":true", "\"username\":\"cy\"", "\"status\":\"not_started\"", "\"progress\":0.0");
        assertThat(second.get(1).value()).as("then the tombstone").isNull();
        assertThat(header(second.get(1), "record_type")).isEqualTo("course_completion");
    }

    @Test
    void withOneTopicPerRecordTypeTheTypeNamesTheTopic() throws Exception {
        TestService service = moocit().with("sync.kafka.topic-per-record-type", "true");
        moocitAnswers("ana,course-v1:A,0.80", "ben,course-v1:A,1");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(TestKafka.readAll(topic + ".course_completion")).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("moocit:course_completion:ana|course-v1:A",
                        "moocit:course_completion:ben|course-v1:A");
    }

    @Test
    void kafkaStoppedMidRunStopsTheStreamAndAfterItsRestartNothingIsLostOrDoubled() throws Exception {
        Instant now = Instant.now();
        absorbServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        // two windows of history, 150 enrollments each; pages of 100, chunks of 50
        for (int i = 0; i < 300; i++) {
            Instant edited = (i < 150 ? now.minus(150, ChronoUnit.DAYS) : now.minus(1, ChronoUnit.DAYS)).plusSeconds(i);
            absorb.enrollments.add(new Enrollment("e" + i, "c1", "u" + i, 3, edited));
        }
        TestService service = AbsorbSimulator.readBy(new TestService(dir), absorbServer.baseUrl(),
                        now)
                .with("absorb.page-size", "100")
                .with("sync.chunk-size", "50")
                .with("sync.sinks", "jdbc,kafka,file")
                .with("sync.kafka.brokers", TestKafka.brokers())
                .with("sync.kafka.topic", topic)
                .with("sync.kafka.delivery-timeout-ms", "3000")
                .with("sync.kafka.request-timeout-ms", "1000");
        // window 1 is pages 1 and 2 (100 + 50); Kafka goes down as window 2's first page is served
        absorb.beforePage.put(3, TestKafka::stopBroker);

        try {
            assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

            assertThat(service.lastRun()).containsEntry("status", "failed");
            assertThat(service.query("SELECT status, records FROM sync_window ORDER BY window_start"))
                    .containsExactly(Map.of("status", "done", "records", 150L), Map.of("status", "running", "records", 0L));
            assertThat(service.count("SELECT COUNT(*) FROM record_index")).as("only window 1 counts as delivered")
                    .isEqualTo(150);
        } finally {
            TestKafka.startBroker();
        }

        service.with("sync.kafka.brokers", TestKafka.brokers());
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("fetched", 150L)
                .containsEntry("inserted", 150L);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(300);
        assertThat(service.count("SELECT COUNT(DISTINCT source_record_id) FROM learning_record")).isEqualTo(300);
        assertThat(service.recordLines()).as("the file sink comes after kafka: each record once").hasSize(300)
                .doesNotHaveDuplicates();
        Map<String, Long> published = TestKafka.readAll(topic).stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(published).as("every record reached Kafka").hasSize(300);
        assertThat(published.entrySet()).filteredOn(e -> e.getValue() > 1)
                .as("only window 2's first chunk can be there twice (at least once)")
                .allSatisfy(e -> assertThat(Integer.parseInt(e.getKey().replaceAll(".*:e", ""))).isBetween(150, 199));
    }
}

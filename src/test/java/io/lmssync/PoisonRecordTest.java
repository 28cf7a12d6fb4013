package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record a sink refuses for what it holds never stalls a stream: the chunk is delivered again in halves down to
 * that record, which becomes a dead letter with the sink's reason; the rest is delivered and the next run succeeds
 * too. A real PostgreSQL refusing a NUL character, a real Kafka broker refusing a message over its size limit.
 */
class PoisonRecordTest {

    /** The broker this class may have started goes with it: none is left for the JVM's exit to stop. */
    @org.junit.jupiter.api.AfterAll
    static void stopKafka() throws Exception {
        TestKafka.close();
    }

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    /** MOOCit's answer: 2,000 learners, and the one object given among them (inside a chunk, to be halved out). */
    private static String answerWith(String poison) {
        java.util.List<String> objects = new java.util.ArrayList<>(IntStream.range(0, 2000).mapToObj(i ->
                "{\"username\":\"u" + i + "\",\"email\":\"u" + i + "@example.com\",\"course_id\":\"course-v1:A\","
                        + "\"completion\":\"0.5\"}").toList());
        objects.add(1234, poison);
        return objects.stream().collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void aStringPostgresqlCannotStoreBecomesADeadLetterAndTheOther2000Arrive() throws Exception {
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).onPostgres().with("sync.chunk-size", "500")
                .with("sync.sinks", "jdbc,file");
        // valid JSON: a NUL character, which a PostgreSQL text (or jsonb) value cannot hold
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answerWith(
                "{\"username\":\"nul\",\"email\":\"a\\u0000b@example.com\",\"course_id\":\"course-v1:A\","
                        + "\"completion\":\"1\"}"))));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2000);
        assertThat(service.recordLines()).hasSize(2000);
        assertThat(service.count("SELECT COUNT(*) FROM raw_object")).as("each delivered object archived, through the "
                + "halving, and not the refused one").isEqualTo(2000);
        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("fetched", 2001L)
                .containsEntry("inserted", 2000L).containsEntry("dead_lettered", 1L);
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).singleElement().satisfies(d -> {
            assertThat(d.get("record_id")).isEqualTo("moocit:course_completion:nul|course-v1:A");
            assertThat((String) d.get("reason")).startsWith("the database refused it (SQLState 22");
        });

        assertThat(service.runOnce()).as("the next run is not stalled either").isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("unchanged", 2000L).containsEntry("dead_lettered", 1L);
        assertThat(service.query("SELECT times_seen FROM dead_letter")).extracting(r -> r.get("times_seen"))
                .containsExactly(2);
    }

    @Test
    void aNulInTheFieldThatFormsTheRecordIdIsADeadLetterAndTheStreamRunsOnPostgresql() throws Exception {
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).onPostgres().with("sync.chunk-size", "500")
                .with("sync.sinks", "jdbc,file");
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answerWith(
                "{\"username\":\"nu\\u0000l\",\"email\":\"n@example.com\",\"course_id\":\"course-v1:A\","
                        + "\"completion\":\"1\"}"))));

        for (int run = 1; run <= 2; run++) {
            assertThat(service.runOnce()).as("run %d", run).isEqualTo(RunOnce.OK);
            assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2000);
            assertThat(service.recordLines()).hasSize(2000);
            assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("fetched", 2001L)
                    .containsEntry("dead_lettered", 1L);
        }
        assertThat(service.query("SELECT record_id, reason, times_seen FROM dead_letter")).singleElement()
                .satisfies(d -> {
                    assertThat(d.get("record_id")).as("the id, its NUL written out")
                            .isEqualTo("moocit:course_completion:nu\\u0000l|course-v1:A");
                    assertThat((String) d.get("reason")).contains("source_record_id");
                    assertThat(d.get("times_seen")).isEqualTo(2);
                });
    }

    @Test
    void aSixHundredCharacterIdIsADeadLetterWithAnIdItsColumnHoldsAndTheNextRunSucceeds() throws Exception {
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).onPostgres().with("sync.chunk-size", "500")
                .with("sync.sinks", "jdbc,file");
        String username = "u".repeat(600);
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answerWith(
                "{\"username\":\"" + username + "\",\"email\":\"long@example.com\",\"course_id\":"
                        + "\"course-v1:A\",\"completion\":\"1\"}"))));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.runOnce()).as("and the next").isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2000);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isEqualTo(2000);
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).singleElement().satisfies(d -> {
            String id = (String) d.get("record_id");
            assertThat(id).hasSize(512).startsWith("moocit:course_completion:uuuu")
                    .endsWith("#" + io.lmssync.record.Sha256.hex("moocit:course_completion:" + username
                            + "|course-v1:A"));
            assertThat((String) d.get("reason")).contains("source_record_id");
        });
        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("dead_lettered", 1L);
    }

    @Test
    void aRecordOverTheBrokersSizeLimitBecomesADeadLetterAndTheOthersArriveInKafka() throws Exception {
        String topic = "poison-" + System.nanoTime();
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.chunk-size", "500")
                .with("sync.sinks", "jdbc,kafka").with("sync.kafka.brokers", TestKafka.brokers())
                .with("sync.kafka.topic", topic);
        // over Kafka's default 1 MB a message: the vendor's object rides along in the record's raw field
        String notes = "x".repeat(1_200_000);
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answerWith(
                "{\"username\":\"big\",\"email\":\"big@example.com\",\"course_id\":\"course-v1:A\","
                        + "\"completion\":\"1\",\"notes\":\"" + notes + "\"}"))));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<String> keys = TestKafka.readAll(topic).stream().map(ConsumerRecord::key).distinct().toList();
        assertThat(keys).hasSize(2000).doesNotContain("moocit:course_completion:big|course-v1:A");
        assertThat(service.query("SELECT record_id, reason FROM dead_letter")).singleElement().satisfies(d -> {
            assertThat(d.get("record_id")).isEqualTo("moocit:course_completion:big|course-v1:A");
            assertThat((String) d.get("reason")).startsWith("Kafka refused it: ");
        });
        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("dead_lettered", 1L);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isEqualTo(2000);
    }
}

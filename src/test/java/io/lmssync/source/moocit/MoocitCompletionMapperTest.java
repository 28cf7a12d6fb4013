package io.lmssync.source.moocit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.record.RecordSchema;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MOOCit answers in, canonical records and dead letters out: sources/moocit/<case>.json against <case>.expected.json. */
class MoocitCompletionMapperTest {

    private static final RecordSchema SCHEMA = new RecordSchema();

    @ParameterizedTest
    @ValueSource(strings = {"typical", "ugly", "invalid", "empty"})
    void mapsEachFixtureToItsExpectedRecordsAndDeadLetters(String fixture) throws Exception {
        JsonNode answer = read("sources/moocit/" + fixture + ".json");
        List<JsonNode> raws = new ArrayList<>();
        answer.forEach(raws::add);

        Chunk chunk = map(raws);

        ObjectNode actual = Json.MAPPER.createObjectNode();
        ArrayNode records = actual.putArray("records");
        chunk.records().forEach(r -> records.add(Json.tree(r)));
        ArrayNode deadLetters = actual.putArray("dead_letters");
        chunk.deadLetters().forEach(d -> deadLetters.addObject().put("record_id", d.recordId()).put("reason", d.reason()));
        // through text, so numbers compare as JSON numbers do (0.8 and 0.80 alike), not as Java objects
        assertThat(Json.MAPPER.readTree(Json.write(actual)))
                .as("sources/moocit/%s.expected.json; actual:%n%s", fixture,
                        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual))
                .isEqualTo(read("sources/moocit/" + fixture + ".expected.json"));
        assertThat(chunk.records().size() + chunk.deadLetters().size()).isEqualTo(raws.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"typical", "ugly"})
    void everyMappedRecordIsValidAgainstTheSchema(String fixture) throws Exception {
        List<JsonNode> raws = new ArrayList<>();
        read("sources/moocit/" + fixture + ".json").forEach(raws::add);
        map(raws).records().forEach(r -> assertThat(SCHEMA.problems(r)).isEmpty());
    }

    static Chunk map(List<JsonNode> raws) throws Exception {
        SyncRun run = new SyncRun(7, "moocit", "moocit-course-completions", "moocit.example.com",
                Instant.parse("2026-01-02T03:04:05Z"));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(SyncRun.PROPERTY, run);
            exchange.getMessage().setBody(raws);
            new MoocitCompletionMapper().process(exchange);
            return exchange.getMessage().getBody(Chunk.class);
        }
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = MoocitCompletionMapperTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("fixture %s", resource).isNotNull();
            return Json.MAPPER.readTree(in);
        }
    }
}

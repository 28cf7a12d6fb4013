package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.RecordSchema;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A source's mapper as the pure function it is, without Camel: a fixture of the vendor's objects in (a JSON array),
 * its canonical records and the reasons for its rejects out, compared whole with {@code <case>.expected.json}. Each
 * object is mapped as a sync maps it ({@link RecordMapper#mapOne}): a record, or the reason it would be a dead letter.
 * A new expected file is written only on request ({@code -Dfixtures.write=true}, into src/test/resources) and read by
 * a person before it is committed; the test never passes against a file it wrote itself.
 */
public final class MapperCases {

    private static final RecordSchema SCHEMA = new RecordSchema();

    private MapperCases() {
    }

    /** The run a fixture is mapped in: its tenant and start are in every expected record. */
    public static SyncRun run(String source, String stream, String tenant) {
        return new SyncRun(7, source, stream, tenant, Instant.parse("2026-01-02T03:04:05Z"));
    }

    /**
     * Maps {@code objects} (a classpath resource holding a JSON array, or {@code answer.json#field} for the array an
     * envelope holds) and compares the outcome with
     * {@code expected} (a classpath resource under src/test/resources): every object is a record or a rejection, and
     * a record the canonical schema refuses carries its problems (schema_problems), as the sinks would refuse it.
     */
    public static void assertCase(RecordMapper mapper, SyncRun run, String partition, String objects,
            String expected) throws IOException {
        // "answer.json#items": the array an envelope holds under that field
        String[] resourceAndField = objects.split("#", 2);
        JsonNode in = read(resourceAndField[0]);
        if (resourceAndField.length == 2) {
            in = in.path(resourceAndField[1]);
        }
        assertThat(in.isArray()).as("%s is a JSON array", objects).isTrue();
        ObjectNode actual = map(mapper, run, partition, in);
        assertThat(actual.get("records").size() + actual.get("rejected").size()).as("every object accounted for")
                .isEqualTo(in.size());
        String pretty = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual);
        if (Boolean.getBoolean("fixtures.write") && resource(expected) == null) {
            Files.writeString(Path.of("src/test/resources", expected), pretty + "\n");
        }
        // through text, so numbers compare as JSON numbers do (0.8 and 0.80 alike), not as Java objects
        assertThat(Json.MAPPER.readTree(Json.write(actual))).as("%s; actual:%n%s", expected, pretty)
                .isEqualTo(read(expected));
    }

    /** {"records": [...], "rejected": [{"index", "record_id", "reason"}]}, each record checked against the schema. */
    public static ObjectNode map(RecordMapper mapper, SyncRun run, String partition, JsonNode objects) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode records = out.putArray("records");
        ArrayNode rejected = out.putArray("rejected");
        for (int i = 0; i < objects.size(); i++) {
            try {
                LearningRecord record = mapper.mapOne(objects.get(i), run, partition);
                ObjectNode tree = (ObjectNode) Json.tree(record);
                String problems = SCHEMA.problems(record);
                if (!problems.isEmpty()) {
                    tree.put("schema_problems", problems);
                }
                records.add(tree);
            } catch (InvalidRecordException e) {
                rejected.addObject().put("index", i).put("record_id", e.recordId()).put("reason", e.getMessage());
            }
        }
        return out;
    }

    public static JsonNode read(String resource) throws IOException {
        try (InputStream in = resource(resource)) {
            assertThat(in).as("fixture %s", resource).isNotNull();
            return Json.MAPPER.readTree(in);
        }
    }

    private static InputStream resource(String name) {
        return MapperCases.class.getClassLoader().getResourceAsStream(name);
    }
}

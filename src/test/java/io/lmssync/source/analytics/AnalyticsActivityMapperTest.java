package io.lmssync.source.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.RecordSchema;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Analytics activity rows in, records and rejections out, without Camel: sources/analytics/<case>.json. */
class AnalyticsActivityMapperTest {

    private static final SyncRun RUN = new SyncRun(7, "analytics", "analytics-course-activity", "example.udemy.com",
            Instant.parse("2026-01-02T03:04:05Z"));

    @Test
    void mapsEachRowOfAPageToARecordOrTheReasonItIsRejected() throws Exception {
        ObjectNode actual = Json.MAPPER.createObjectNode();
        ArrayNode records = actual.putArray("records");
        ArrayNode rejected = actual.putArray("rejected");
        for (JsonNode row : read("sources/analytics/typical.json").get("results")) {
            try {
                LearningRecord record = new AnalyticsActivityMapper("course_completion").mapOne(row, RUN, null);
                assertThat(new RecordSchema().problems(record)).isEmpty();
                records.add(Json.tree(record));
            } catch (InvalidRecordException e) {
                rejected.addObject().put("record_id", e.recordId()).put("reason", e.getMessage());
            }
        }
        assertThat(Json.MAPPER.readTree(Json.write(actual)))
                .as("sources/analytics/typical.expected.json; actual:%n%s",
                        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual))
                .isEqualTo(read("sources/analytics/typical.expected.json"));
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = AnalyticsActivityMapperTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("fixture %s", resource).isNotNull();
            return Json.MAPPER.readTree(in);
        }
    }
}

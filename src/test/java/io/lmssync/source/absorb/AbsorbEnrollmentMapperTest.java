package io.lmssync.source.absorb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.RecordSchema;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.SyncRun;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Absorb enrollments, ugly ones included: the status enum, .NET durations and ticks, dates with and without zones. */
class AbsorbEnrollmentMapperTest {

    @ParameterizedTest
    @CsvSource({"0,not_started", "1,in_progress", "2,pending", "3,completed", "4,not_completed", "5,failed",
        "6,withdrawn", "7,pending", "8,pending", "9,not_completed", "10,unknown", "11,pending", "12,pending",
        "99,unknown"})
    void everyStatusNumberHasItsCanonicalStatus(int code, String status) {
        assertThat(AbsorbEnrollmentMapper.status(code)).isEqualTo(status);
    }

    @Test
    void mapsUnitsAndDatesAndDeadLettersWhatCannotBeRead() throws Exception {
        Chunk chunk = map("sources/absorb/enrollments-ugly.json");

        List<LearningRecord> records = chunk.records();
        assertThat(records).extracting(LearningRecord::sourceRecordId).containsExactly("e1", "e2", "e3", "e4");
        LearningRecord e1 = records.get(0);
        assertThat(e1.recordId()).isEqualTo("absorb:course_enrollment:e1");
        assertThat(e1.status()).isEqualTo("completed");
        assertThat(e1.sourceStatus()).isEqualTo("3");
        assertThat(e1.progress()).isEqualTo(1.0);
        assertThat(e1.scorePercent()).isEqualTo(92.5);
        assertThat(e1.timeSpentSeconds()).as("1.02:03:04").isEqualTo(86_400 + 2 * 3600 + 3 * 60 + 4);
        assertThat(e1.enrolledAt()).as("no zone: UTC").isEqualTo("2024-01-01T08:00:00Z");
        assertThat(e1.startedAt()).isEqualTo("2024-01-02T09:00:00.123Z");
        assertThat(e1.expiresAt()).as("+02:00 to UTC").isEqualTo("2025-01-03T08:00:00Z");
        assertThat(e1.sourceUpdatedAt()).isEqualTo("2024-01-03T10:00:01Z");
        assertThat(e1.isActive()).isFalse();
        assertThat(e1.content().versionId()).isEqualTo("v3");
        assertThat(e1.learner().fullName()).isEqualTo("Ana Lima");

        LearningRecord e2 = records.get(1);
        assertThat(e2.status()).isEqualTo("pending");
        assertThat(e2.timeSpentSeconds()).as("ticks win over the text").isEqualTo(3600);
        assertThat(e2.isActive()).as("missing isActive: active").isTrue();
        assertThat(records.get(2).status()).isEqualTo("unknown");
        assertThat(records.get(3).timeSpentSeconds()).isEqualTo(3 * 3600 + 4 * 60 + 5);

        assertThat(chunk.deadLetters()).extracting(Chunk.DeadLetter::reason).containsExactly(
                "status 'complete' is not Absorb's status number",
                "timeSpent 'forever' is not a duration (hh:mm:ss)",
                "an Absorb enrollment needs an id");
    }

    private static Chunk map(String resource) throws Exception {
        List<JsonNode> raws = new ArrayList<>();
        try (InputStream in = AbsorbEnrollmentMapperTest.class.getClassLoader().getResourceAsStream(resource)) {
            Json.MAPPER.readTree(in).forEach(raws::add);
        }
        SyncRun run = new SyncRun(1, "absorb", "absorb-course-enrollments", "rest.myabsorb.com", Instant.EPOCH);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(SyncRun.PROPERTY, run);
            exchange.getMessage().setBody(raws);
            new AbsorbEnrollmentMapper(AbsorbEnrollmentMapper.Kind.COURSE).process(exchange);
            return exchange.getMessage().getBody(Chunk.class);
        }
    }
}

package io.lmssync.source.continu;

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

/** Continu Open API objects, ugly ones included, as canonical records and dead letters. */
class ContinuCompletionMapperTest {

    @Test
    void mapsUnitsStatusesAndDatesAndDeadLettersWhatCannotBeRead() throws Exception {
        Chunk chunk = map("sources/continu/assessments-ugly.json");

        List<LearningRecord> records = chunk.records();
        assertThat(records).extracting(LearningRecord::recordId)
                .containsExactly("continu:assessment:101", "continu:assessment:102", "continu:assessment:103");
        LearningRecord ana = records.get(0);
        assertThat(ana.status()).isEqualTo("passed");
        assertThat(ana.progress()).isEqualTo(1.0);
        assertThat(ana.scorePercent()).isEqualTo(87.5);
        assertThat(ana.assignedAt()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(ana.startedAt()).as("a numeric string").isEqualTo("2024-01-02T00:00:00Z");
        assertThat(ana.completedAt()).isEqualTo("2024-01-03T00:00:00Z");
        assertThat(ana.sourceUpdatedAt()).isEqualTo("2024-01-03T00:00:00Z");
        assertThat(ana.dueAt()).isNull();
        assertThat(ana.learner().sourceUserId()).isEqualTo("7");
        assertThat(ana.learner().fullName()).isEqualTo("Ana Lima");
        assertThat(ana.content().title()).isEqualTo("Fire safety");
        assertThat(ana.sourceStatus()).isEqualTo("passed");
        assertThat(ana.raw().get("score").asDouble()).isEqualTo(87.5);

        LearningRecord ben = records.get(1);
        assertThat(ben.status()).as("overdue: past due, not done").isEqualTo("not_completed");
        assertThat(ben.sourceStatus()).isEqualTo("overdue");
        assertThat(ben.progress()).isEqualTo(0.4);
        assertThat(ben.assignedAt()).as("milliseconds read as such").isEqualTo("2024-01-01T00:00:00Z");
        assertThat(ben.dueAt()).as("0 means none").isNull();

        assertThat(chunk.deadLetters()).extracting(Chunk.DeadLetter::reason).containsExactly(
                "a Continu assessment needs an id",
                "completed_date 'yesterday' is not a Unix time");
        // mapped as sent; the schema (checked before delivery) refuses a progress above 100%
        assertThat(records).extracting(r -> new RecordSchema().problems(r)).contains(
                "$.progress: must have a maximum value of 1");
    }

    private static Chunk map(String resource) throws Exception {
        List<JsonNode> raws = new ArrayList<>();
        try (InputStream in = ContinuCompletionMapperTest.class.getClassLoader().getResourceAsStream(resource)) {
            Json.MAPPER.readTree(in).forEach(raws::add);
        }
        SyncRun run = new SyncRun(1, "continu", "continu-assessments", "api.continu.co", Instant.EPOCH);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(SyncRun.PROPERTY, run);
            exchange.getMessage().setBody(raws);
            new ContinuCompletionMapper("assessment").process(exchange);
            return exchange.getMessage().getBody(Chunk.class);
        }
    }
}

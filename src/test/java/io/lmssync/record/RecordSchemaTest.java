package io.lmssync.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.lmssync.record.LearningRecord.Builder;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The record schema's compiled checks agree with a general JSON Schema validator (networknt, draft 2020-12) on the
 * canonical JSON of valid records and of records that break each kind of constraint the schema states.
 */
class RecordSchemaTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final RecordSchema COMPILED = new RecordSchema();

    private static JsonSchema general() throws Exception {
        try (InputStream in = RecordSchema.class.getClassLoader().getResourceAsStream(RecordSchema.LOCATION)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static Builder valid() {
        return LearningRecord.builder("absorb", "course_enrollment", "e-1").sourceTenant("rest.myabsorb.com")
                .learner(new Learner("u1", "u1@example.com", "u1", "U One", "U", "One", "x1"))
                .content(new Content("c1", "Safety", "course", "v1")).status("completed").sourceStatus("3")
                .progress(1.0).scorePercent(80.0).timeSpentSeconds(3723L).enrolledAt("2025-12-01T00:00:00Z")
                .completedAt("2025-12-02T00:00:00.5Z").sourceUpdatedAt("2025-12-02T00:00:00Z")
                .raw(Json.MAPPER.createObjectNode().put("id", "e-1"));
    }

    @Test
    void theCompiledChecksAndAGeneralValidatorAgreeOnEveryCase() throws Exception {
        JsonSchema general = general();
        List<UnaryOperator<Builder>> cases = List.of(
                b -> b,
                b -> b.status("done"),
                b -> b.progress(1.5),
                b -> b.progress(-0.1),
                b -> b.scorePercent(100.5),
                b -> b.timeSpentSeconds(-1L),
                b -> b.completedAt("2025-12-02 00:00:00"),
                b -> b.dueAt("yesterday"),
                b -> b.sourceStatus("s".repeat(256)),
                b -> b.sourceTenant("t".repeat(256)),
                b -> b.learner(new Learner("u", "e".repeat(1025), null, null, null, null, null)),
                b -> b.content(new Content("c".repeat(1025), "t".repeat(5000), null, null)),
                b -> b.learner(null).content(null).status("unknown").sourceStatus(null).progress(null).raw(null),
                b -> b.raw(Json.MAPPER.createArrayNode()),
                b -> b.deleted(true).active(false));
        List<String> disagreements = new ArrayList<>();
        int invalid = 0;
        for (UnaryOperator<Builder> c : cases) {
            LearningRecord record = c.apply(valid()).build(T);
            boolean compiled = COMPILED.problems(record).isEmpty();
            boolean reference = general.validate(Json.tree(record)).isEmpty();
            invalid += compiled ? 0 : 1;
            if (compiled != reference) {
                disagreements.add(record + ": compiled " + compiled + ", general " + reference + " "
                        + general.validate(Json.tree(record)));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(invalid).as("the cases that break the schema").isEqualTo(12);
    }

    @Test
    void aSourceKeyThatIsNoKeyAndAnUnknownRecordTypeAreNamedButANewSourceIsWelcome() {
        LearningRecord record = LearningRecord.builder("Moodle 4", "quiz", "q1").build(T);
        assertThat(COMPILED.problems(record)).contains("$.source", "$.record_type");
        // the schema names no source: a fourth one's records pass
        assertThat(COMPILED.problems(LearningRecord.builder("moodle", "course_completion", "q1").build(T)))
                .doesNotContain("$.source", "$.record_id");
    }
}

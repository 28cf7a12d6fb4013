package io.lmssync.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.record.LearningRecord.Builder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The canonical record's identity, its content hash and its schema. */
class LearningRecordTest {

    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-06-01T12:30:00Z");
    private static final RecordSchema SCHEMA = new RecordSchema();

    private static Builder completion() {
        return LearningRecord.builder("moocit", "course_completion", "jo|course-v1:x")
                .learner(new Learner("jo", "jo@example.com", "jo", null, null, null, null))
                .content(new Content("course-v1:x", null, "course", null))
                .status("in_progress").progress(0.5).sourceStatus("0.5")
                .raw(Json.MAPPER.createObjectNode().put("completion", "0.5"));
    }

    @Test
    void recordIdJoinsSourceTypeAndVendorId() {
        assertThat(completion().build(T1).recordId()).isEqualTo("moocit:course_completion:jo|course-v1:x");
    }

    @Test
    void contentHashIgnoresFetchTimeAndRawObject() {
        LearningRecord first = completion().build(T1);
        LearningRecord later = completion().raw(Json.MAPPER.createObjectNode().put("completion", "0.50")).build(T2);
        assertThat(later.contentHash()).matches("[0-9a-f]{64}").isEqualTo(first.contentHash());
        assertThat(later.fetchedAt()).isEqualTo("2026-06-01T12:30:00Z");
    }

    @Test
    void contentHashChangesWithAnyCanonicalField() {
        String base = completion().build(T1).contentHash();
        assertThat(completion().progress(0.6).build(T1).contentHash()).isNotEqualTo(base);
        assertThat(completion().status("completed").build(T1).contentHash()).isNotEqualTo(base);
        assertThat(completion().deleted(true).build(T1).contentHash()).isNotEqualTo(base);
        assertThat(completion().sourceTenant("other.example.com").build(T1).contentHash()).isNotEqualTo(base);
    }

    @Test
    void aTombstoneKeepsTheIdentityAndIsValid() {
        LearningRecord tombstone = LearningRecord.tombstone("moocit:course_completion:jo|course-v1:x:y", "h", T1);
        assertThat(tombstone.source()).isEqualTo("moocit");
        assertThat(tombstone.recordType()).isEqualTo("course_completion");
        assertThat(tombstone.sourceRecordId()).isEqualTo("jo|course-v1:x:y");
        assertThat(tombstone.isDeleted()).isTrue();
        assertThat(SCHEMA.problems(tombstone)).isEmpty();
    }

    @Test
    void theSchemaAcceptsAWellFormedRecord() {
        assertThat(SCHEMA.problems(completion().build(T1))).isEmpty();
    }

    @Test
    void theSchemaRejectsOutOfRangeValuesAndUnknownStatuses() {
        assertThat(SCHEMA.problems(completion().progress(1.5).build(T1))).contains("progress");
        assertThat(SCHEMA.problems(completion().scorePercent(-1.0).build(T1))).contains("score_percent");
        assertThat(SCHEMA.problems(completion().status("done").build(T1))).contains("status");
        assertThat(SCHEMA.problems(completion().completedAt("2026-01-01 10:00").build(T1))).contains("completed_at");
    }

    @Test
    void recordsSerializeInSnakeCaseWithEveryField() {
        String json = Json.write(completion().build(T1));
        assertThat(json).contains("\"record_id\":", "\"source_record_id\":", "\"is_active\":true",
                "\"is_deleted\":false", "\"time_spent_seconds\":null", "\"source_user_id\":\"jo\"");
    }
}

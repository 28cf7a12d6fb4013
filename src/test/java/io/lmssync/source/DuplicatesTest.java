package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an answer holds more than once is found while it is checked, and its newer (else later) copy wins. */
class DuplicatesTest {

    private static JsonNode object(String id, String edited) throws Exception {
        return Json.MAPPER.readTree("{\"id\":\"" + id + "\",\"dateEdited\":\"" + edited + "\"}");
    }

    private static LearningRecord record(String id, String updated) {
        return LearningRecord.builder("absorb", "course_enrollment", id).status("unknown")
                .sourceUpdatedAt(updated).build(java.time.Instant.EPOCH);
    }

    @Test
    void theNewerCopyByTheVendorsUpdateTimeWinsWhereverItComesElseTheLaterOne() throws Exception {
        List<String> key = List.of("id");
        long[] hashes = {Duplicates.hash(List.of("e1")), Duplicates.hash(List.of("e2")), Duplicates.hash(List.of("e1")),
            Duplicates.hash(List.of("e3")), Duplicates.hash(List.of("e3"))};
        Duplicates duplicates = Duplicates.of(hashes, hashes.length, key);

        assertThat(duplicates.holds(object("e1", "x"))).isTrue();
        assertThat(duplicates.holds(object("e2", "x"))).as("once only").isFalse();
        JsonNode newer = object("e1", "2026-02-01T00:00:00Z");
        duplicates.offer("absorb:course_enrollment:e1", newer, record("e1", "2026-02-01T00:00:00Z"));
        duplicates.offer("absorb:course_enrollment:e1", object("e1", "2026-01-01T00:00:00Z"),
                record("e1", "2026-01-01T00:00:00Z"));
        duplicates.offer("absorb:course_enrollment:e3", object("e3", "first"), record("e3", null));
        JsonNode later = object("e3", "second");
        duplicates.offer("absorb:course_enrollment:e3", later, record("e3", null));

        assertThat(duplicates.release()).containsExactly(newer, later);
        assertThat(duplicates.extraCopies()).isEqualTo(2);
        assertThat(duplicates.holds(object("e1", "x"))).as("the winners map as they come").isFalse();
        assertThat(Duplicates.of(new long[] {1, 2, 3}, 3, key)).as("nothing twice: nothing held").isNull();
    }
}

package io.lmssync.source.moocit;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
import io.lmssync.record.Json;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.SyncRun;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.Reads;
import java.util.List;
import io.lmssync.source.RecordMapper;
import java.math.BigDecimal;

/**
 * MOOCit completion objects, {@code {"username", "email", "course_id", "completion": "0.80"}}, as course_completion
 * records. MOOCit sends no record id and no timestamps: the natural key is {@code username|course_id}.
 */
public final class MoocitCompletionMapper extends RecordMapper {

    static final String SOURCE = "moocit";
    static final String RECORD_TYPE = "course_completion";

    public MoocitCompletionMapper() {
    }

    /** Its natural key, and what it maps beside: the e-mail and the completion fraction. */
    @Override
    public Reads reads() {
        return new Reads(List.of("username", "course_id"), List.of("email", "completion"));
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        String username = Json.text(raw, "username");
        String courseId = Json.text(raw, "course_id");
        if (username == null || courseId == null) {
            throw new InvalidRecordException(null, "a MOOCit completion needs username and course_id; missing "
                    + (username == null ? courseId == null ? "both" : "username" : "course_id"));
        }
        String sourceRecordId = username + "|" + courseId;
        String completion = Json.text(raw, "completion");
        Double progress = progress(completion, LearningRecord.recordId(SOURCE, RECORD_TYPE, sourceRecordId));
        return LearningRecord.builder(SOURCE, RECORD_TYPE, sourceRecordId)
                .sourceTenant(run.tenant())
                .learner(new Learner(username, Json.text(raw, "email"), username, null, null, null, null))
                .content(new Content(courseId, null, "course", null))
                .status(status(progress))
                .sourceStatus(completion)
                .progress(progress)
                .raw(raw)
                .build(run.startedAt());
    }

    /** {@code completion} is a decimal fraction 0..1 sent as a string ("0.80"), sometimes as a number. */
    static Double progress(String completion, String recordId) throws InvalidRecordException {
        if (completion == null) {
            return null;
        }
        BigDecimal fraction;
        try {
            fraction = new BigDecimal(completion);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(recordId, "completion '" + completion + "' is not a decimal number");
        }
        if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            throw new InvalidRecordException(recordId, "completion '" + completion + "' is outside 0..1");
        }
        return fraction.doubleValue();
    }

    /** Completed at 1, in progress above 0, not started at 0; unknown when MOOCit sent no completion. */
    static String status(Double progress) {
        if (progress == null) {
            return "unknown";
        }
        return progress >= 1.0 ? "completed" : progress > 0.0 ? "in_progress" : "not_started";
    }
}

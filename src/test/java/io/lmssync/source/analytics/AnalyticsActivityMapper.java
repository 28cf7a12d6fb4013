package io.lmssync.source.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
import io.lmssync.record.Json;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.Reads;
import io.lmssync.source.RecordMapper;
import io.lmssync.sync.SyncRun;
import java.util.List;

/**
 * An activity row, {@code {"user_email", "user_name", "course_id", "course_title", "completion_ratio": 0..100,
 * "course_completion_date", "last_accessed_date"}}, as a record of {@code recordType}; its key is
 * {@code user_email|course_id}.
 */
final class AnalyticsActivityMapper extends RecordMapper {

    private final String recordType;

    AnalyticsActivityMapper(String recordType) {
        this.recordType = recordType;
    }

    @Override
    public Reads reads() {
        return new Reads(List.of("user_email", "course_id"), List.of("user_name", "course_title",
                "completion_ratio", "course_completion_date", "last_accessed_date"));
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        String email = Json.text(raw, "user_email");
        String course = Json.text(raw, "course_id");
        if (email == null || course == null) {
            throw new InvalidRecordException(null, "an activity row needs user_email and course_id");
        }
        String id = email + "|" + course;
        JsonNode ratio = raw.get("completion_ratio");
        if (ratio != null && !ratio.isNull() && (!ratio.isNumber() || ratio.asDouble() < 0 || ratio.asDouble() > 100)) {
            throw new InvalidRecordException(LearningRecord.recordId("analytics", recordType, id),
                    "completion_ratio '" + ratio.asText() + "' is not a percentage");
        }
        Double progress = ratio == null || ratio.isNull() ? null : ratio.asDouble() / 100;
        String completed = Json.text(raw, "course_completion_date");
        return LearningRecord.builder("analytics", recordType, id)
                .sourceTenant(run.tenant())
                .learner(new Learner(email, email, null, Json.text(raw, "user_name"), null, null, null))
                .content(new Content(course, Json.text(raw, "course_title"), "course", null))
                .status(completed != null ? "completed" : progress == null ? "unknown"
                        : progress > 0 ? "in_progress" : "not_started")
                .progress(progress)
                .completedAt(completed)
                .sourceUpdatedAt(Json.text(raw, "last_accessed_date"))
                .raw(raw)
                .build(run.startedAt());
    }
}

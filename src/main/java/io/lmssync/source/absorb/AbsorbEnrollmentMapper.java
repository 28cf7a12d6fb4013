package io.lmssync.source.absorb;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
import io.lmssync.record.Json;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.SyncRun;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.RecordMapper;
import io.lmssync.source.Units;

/**
 * Absorb course enrollments ({@code GET /courses/{courseId}/enrollments}) as course_enrollment records, and lesson
 * enrollments ({@code GET /courses/{courseId}/lessons/{lessonId}/enrollments}) as lesson_enrollment records: the status
 * enum to a canonical status (the number kept in source_status), {@code timeSpent} or {@code timeSpentTicks} to
 * seconds, percentages to a fraction and a score, dates to UTC, {@code isActive} to is_active.
 */
public final class AbsorbEnrollmentMapper extends RecordMapper {

    private final String recordType;

    public AbsorbEnrollmentMapper(String recordType) {
        this.recordType = recordType;
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        String id = Json.text(raw, "id");
        if (id == null) {
            throw new InvalidRecordException(null, "an Absorb enrollment needs an id");
        }
        String recordId = LearningRecord.recordId("absorb", recordType, id);
        JsonNode status = raw.get("status");
        if (status != null && !status.isNull() && !status.canConvertToInt()) {
            throw new InvalidRecordException(recordId, "status '" + status.asText() + "' is not Absorb's status number");
        }
        Integer code = status == null || status.isNull() ? null : status.asInt();
        String enrolled = Units.isoToUtc(raw, "dateEnrolled", recordId);
        return LearningRecord.builder("absorb", recordType, id)
                .sourceTenant(run.tenant())
                .learner(new Learner(Json.text(raw, "userId"), null, null, Json.text(raw, "fullName"), null, null, null))
                .content(recordType.equals("lesson_enrollment")
                        ? new Content(Json.text(raw, "lessonId"), Json.text(raw, "name"), "lesson", null)
                        : new Content(Json.text(raw, "courseId"), Json.text(raw, "courseName"), "course",
                                Json.text(raw, "courseVersionId")))
                .status(status(code))
                .sourceStatus(code == null ? null : String.valueOf(code))
                .progress(Units.percentToFraction(Units.number(raw, "progress", recordId)))
                .scorePercent(Units.number(raw, "score", recordId))
                .timeSpentSeconds(raw.hasNonNull("timeSpentTicks") ? Units.ticksToSeconds(raw.get("timeSpentTicks")
                        .asLong()) : Units.timeSpanSeconds(Json.text(raw, "timeSpent"), "timeSpent", recordId))
                .enrolledAt(enrolled != null ? enrolled : Units.isoToUtc(raw, "dateAdded", recordId))
                .startedAt(Units.isoToUtc(raw, "dateStarted", recordId))
                .completedAt(Units.isoToUtc(raw, "dateCompleted", recordId))
                .dueAt(Units.isoToUtc(raw, "dateDue", recordId))
                .expiresAt(Units.isoToUtc(raw, "dateExpires", recordId))
                .sourceUpdatedAt(Units.isoToUtc(raw, "dateEdited", recordId))
                .active(!raw.hasNonNull("isActive") || raw.get("isActive").asBoolean())
                .raw(raw)
                .build(run.startedAt());
    }

    /**
     * Absorb's enrollment status: 0 NotStarted, 1 InProgress, 2 PendingApproval, 3 Complete, 4 NotComplete,
     * 5 Failed, 6 Declined, 7 PendingEvaluationRequired, 8 OnWaitlist, 9 Absent, 10 NotApplicable, 11 PendingProctor,
     * 12 ReadyForReview.
     */
    static String status(Integer code) {
        if (code == null) {
            return "unknown";
        }
        return switch (code) {
            case 0 -> "not_started";
            case 1 -> "in_progress";
            case 3 -> "completed";
            case 4, 9 -> "not_completed";
            case 5 -> "failed";
            case 6 -> "withdrawn";
            case 2, 7, 8, 11, 12 -> "pending";
            default -> "unknown";
        };
    }
}

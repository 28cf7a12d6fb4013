package io.lmssync.source.absorb;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
import io.lmssync.record.Details;
import io.lmssync.record.Json;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.Parent;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.Reads;
import java.util.List;
import io.lmssync.source.RecordMapper;
import io.lmssync.source.Units;
import io.lmssync.sync.SyncRun;

/**
 * Absorb enrollments as canonical records: course enrollments ({@code GET /courses/{courseId}/enrollments}), and the
 * lesson, chapter and session enrollments of one course enrollment, read under the partition
 * {@code userId/courseId/courseEnrollmentId} its change handed over. The status enum to a canonical status (the
 * number kept in source_status), {@code timeSpent} or {@code timeSpentTicks} to seconds, percentages to a fraction
 * and a score, dates to UTC, {@code isActive} to is_active; what a warehouse needs beyond those (credits, certificate,
 * collection; a lesson's attempts, failures and last attempt) to details, and the parents' ids to parent.
 */
public final class AbsorbEnrollmentMapper extends RecordMapper {

    /** What an enrollment is of: the record type, and where its content's id, name and type are. */
    enum Kind {
        COURSE("course_enrollment", "courseId", "courseName", null),
        LESSON("lesson_enrollment", "lessonId", "name", "lesson"),
        CHAPTER("chapter_enrollment", "chapterId", "name", "chapter"),
        SESSION("session_enrollment", "sessionId", "name", "session");

        final String recordType;
        final String contentId;
        final String contentName;
        final String contentType;

        Kind(String recordType, String contentId, String contentName, String contentType) {
            this.recordType = recordType;
            this.contentId = contentId;
            this.contentName = contentName;
            this.contentType = contentType;
        }
    }

    private final Kind kind;

    AbsorbEnrollmentMapper(Kind kind) {
        this.kind = kind;
    }

    /** The partition of a course enrollment's children: {@code userId/courseId/courseEnrollmentId}. */
    static String childrenOf(LearningRecord courseEnrollment) {
        String user = courseEnrollment.learner().sourceUserId();
        String course = courseEnrollment.content().sourceContentId();
        return user == null || course == null ? null
                : user + "/" + course + "/" + courseEnrollment.sourceRecordId();
    }

    /** The partition a child enrollment was read under, from the ids it carries. */
    static String partitionOf(LearningRecord child) {
        Parent parent = child.parent();
        return parent == null ? null
                : child.learner().sourceUserId() + "/" + parent.courseId() + "/" + parent.courseEnrollmentId();
    }

    /**
     * Its id, and what an enrollment needs to mean anything: learner, content, status, progress, and the edit time
     * where page 003's schema has one (a chapter enrollment has none).
     */
    @Override
    public Reads reads() {
        return new Reads(List.of("id"), kind == Kind.CHAPTER ? List.of("userId", kind.contentId, "status", "progress")
                : List.of("userId", kind.contentId, "status", "progress", "dateEdited"));
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        return map(raw, run, null);
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run, String partition) throws InvalidRecordException {
        String id = Json.text(raw, "id");
        if (id == null) {
            throw new InvalidRecordException(null, "an Absorb enrollment needs an id");
        }
        String recordId = LearningRecord.recordId("absorb", kind.recordType, id);
        Parent parent = parent(raw, partition, recordId);
        Integer code = statusCode(raw, recordId);
        String enrolled = Units.isoToUtc(raw, "dateEnrolled", recordId);
        String type = kind.contentType == null ? "course"
                : kind == Kind.LESSON && Json.text(raw, "type") != null ? Json.text(raw, "type") : kind.contentType;
        return LearningRecord.builder("absorb", kind.recordType, id)
                .sourceTenant(run.tenant())
                .learner(new Learner(Json.text(raw, "userId"), null, null, Json.text(raw, "fullName"), null, null, null))
                .content(new Content(Json.text(raw, kind.contentId), Json.text(raw, kind.contentName), type,
                        kind == Kind.COURSE ? Json.text(raw, "courseVersionId") : null))
                .parent(parent)
                .status(status(code))
                .sourceStatus(code == null ? null : String.valueOf(code))
                .progress(Units.percentToFraction(Units.number(raw, "progress", recordId)))
                .scorePercent(Units.number(raw, "score", recordId))
                .timeSpentSeconds(timeSpent(raw, recordId))
                .enrolledAt(enrolled != null ? enrolled : Units.isoToUtc(raw, "dateAdded", recordId))
                .startedAt(Units.isoToUtc(raw, "dateStarted", recordId))
                .completedAt(Units.isoToUtc(raw, "dateCompleted", recordId))
                .dueAt(Units.isoToUtc(raw, "dateDue", recordId))
                .expiresAt(Units.isoToUtc(raw, "dateExpires", recordId))
                .sourceUpdatedAt(Units.isoToUtc(raw, "dateEdited", recordId))
                .details(new Details(Units.number(raw, "credits", recordId), Json.text(raw, "certificateId"),
                        Json.text(raw, "courseCollectionId"), count(raw, "attempts", recordId),
                        count(raw, "failures", recordId), Units.isoToUtc(raw, "lastAttempt", recordId)))
                .active(!raw.hasNonNull("isActive") || raw.get("isActive").asBoolean())
                .raw(raw)
                .build(run.startedAt());
    }

    /**
     * A child enrollment's parents: its course from the partition it was read under, its course enrollment as it says
     * or else from the partition, and a lesson's chapter. A course enrollment has none.
     */
    private Parent parent(JsonNode raw, String partition, String recordId) throws InvalidRecordException {
        if (kind == Kind.COURSE) {
            return null;
        }
        String[] ids = partition == null ? null : partition.split("/", -1);
        if (ids == null || ids.length < 3) {
            throw new InvalidRecordException(recordId, "a " + kind.recordType + " is read under its course "
                    + "enrollment (userId/courseId/courseEnrollmentId), and this one was not (a replayed dead "
                    + "letter): it is read again when its course enrollment changes, or at the next "
                    + "reconciliation");
        }
        String courseEnrollment = Json.text(raw, "courseEnrollmentId");
        return new Parent(ids[1], courseEnrollment != null ? courseEnrollment : ids[2],
                kind == Kind.LESSON ? Json.text(raw, "chapterId") : null, null, null);
    }

    /** Absorb's status number ({@link #status}), or null when there is none. */
    private static Integer statusCode(JsonNode raw, String recordId) throws InvalidRecordException {
        JsonNode status = raw.get("status");
        if (status != null && !status.isNull() && !status.canConvertToInt()) {
            throw new InvalidRecordException(recordId, "status '" + status.asText() + "' is not Absorb's status number");
        }
        return status == null || status.isNull() ? null : status.asInt();
    }

    static Long timeSpent(JsonNode raw, String recordId) throws InvalidRecordException {
        return raw.hasNonNull("timeSpentTicks") ? Units.ticksToSeconds(raw.get("timeSpentTicks").asLong())
                : Units.timeSpanSeconds(Json.text(raw, "timeSpent"), "timeSpent", recordId);
    }

    static Integer count(JsonNode raw, String field, String recordId) throws InvalidRecordException {
        JsonNode value = raw.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || value.asInt() < 0) {
            throw new InvalidRecordException(recordId, field + " '" + value.asText() + "' is not a count");
        }
        return value.asInt();
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

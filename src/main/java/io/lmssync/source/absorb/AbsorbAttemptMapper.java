package io.lmssync.source.absorb;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
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
 * A lesson's attempts ({@code GET /users/{userId}/enrollments/{courseId}/lessons/{lessonId}/attempts}) as
 * lesson_attempt records. An attempt names nothing but itself ({@code id, status, score, timeSpentTicks, startDate,
 * completionDate}): the learner, lesson and parents come from the partition it was read under,
 * {@code userId/courseId/lessonId/lessonEnrollmentId/courseEnrollmentId}.
 */
final class AbsorbAttemptMapper extends RecordMapper {

    /** The partition of a lesson enrollment's attempts; none when it says it has no attempts. */
    static String attemptsOf(LearningRecord lessonEnrollment) {
        Parent parent = lessonEnrollment.parent();
        Integer attempts = lessonEnrollment.details() == null ? null : lessonEnrollment.details().attempts();
        if (parent == null || attempts != null && attempts == 0 || lessonEnrollment.learner().sourceUserId() == null
                || lessonEnrollment.content().sourceContentId() == null) {
            return null;
        }
        return lessonEnrollment.learner().sourceUserId() + "/" + parent.courseId() + "/"
                + lessonEnrollment.content().sourceContentId() + "/" + lessonEnrollment.sourceRecordId() + "/"
                + parent.courseEnrollmentId();
    }

    /** The partition an attempt was read under, from the ids it carries. */
    static String partitionOf(LearningRecord attempt) {
        Parent parent = attempt.parent();
        return parent == null ? null : attempt.learner().sourceUserId() + "/" + parent.courseId() + "/"
                + parent.lessonId() + "/" + parent.lessonEnrollmentId() + "/" + parent.courseEnrollmentId();
    }

    /** Its id, status, score and times (its learner and lesson come from the request it was read under). */
    @Override
    public Reads reads() {
        return new Reads(List.of("id"), List.of("status", "score", "startDate", "completionDate"));
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        return map(raw, run, null);
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run, String partition) throws InvalidRecordException {
        String id = Json.text(raw, "id");
        if (id == null) {
            throw new InvalidRecordException(null, "an Absorb attempt needs an id");
        }
        String recordId = LearningRecord.recordId("absorb", "lesson_attempt", id);
        String[] ids = partition == null ? null : partition.split("/", -1);
        if (ids == null || ids.length < 5) {
            throw new InvalidRecordException(recordId, "a lesson_attempt is read under its lesson enrollment "
                    + "(userId/courseId/lessonId/lessonEnrollmentId/courseEnrollmentId), and this one was not (a "
                    + "replayed dead letter): it is read again when its lesson enrollment changes, or at the next "
                    + "reconciliation");
        }
        JsonNode status = raw.get("status");
        if (status != null && !status.isNull() && !status.canConvertToInt()) {
            throw new InvalidRecordException(recordId, "status '" + status.asText() + "' is not Absorb's status number");
        }
        Integer code = status == null || status.isNull() ? null : status.asInt();
        return LearningRecord.builder("absorb", "lesson_attempt", id)
                .sourceTenant(run.tenant())
                .learner(new Learner(ids[0], null, null, null, null, null, null))
                .content(new Content(ids[2], null, "lesson", null))
                .parent(new Parent(ids[1], ids[4], null, ids[2], ids[3]))
                .status(AbsorbEnrollmentMapper.status(code))
                .sourceStatus(code == null ? null : String.valueOf(code))
                .scorePercent(Units.number(raw, "score", recordId))
                .timeSpentSeconds(AbsorbEnrollmentMapper.timeSpent(raw, recordId))
                .startedAt(Units.isoToUtc(raw, "startDate", recordId))
                .completedAt(Units.isoToUtc(raw, "completionDate", recordId))
                .raw(raw)
                .build(run.startedAt());
    }
}

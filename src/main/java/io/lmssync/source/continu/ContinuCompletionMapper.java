package io.lmssync.source.continu;

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
import io.lmssync.source.Units;

/**
 * Continu Open API completions (assessments, assignments, tracks, workshops) as records of that type. Working
 * contract: {@code {"id", "user": {"id", "email", "first_name", "last_name"}, "content": {"id", "title", "type"},
 * "status", "progress" (0-100), "score", "assigned_date", "due_date", "started_date", "completed_date",
 * "updated_date"}}, dates in Unix seconds.
 */
public final class ContinuCompletionMapper extends RecordMapper {

    private final String recordType;

    public ContinuCompletionMapper(String recordType) {
        this.recordType = recordType;
    }

    /** The working contract's completion (README, Continu Open API): its id, learner, content, status and dates. */
    @Override
    public Reads reads() {
        return new Reads(List.of("id"), List.of("user.id", "user.email", "content.id", "status", "progress",
                "completed_date", "updated_date"));
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        String id = Json.text(raw, "id");
        if (id == null) {
            throw new InvalidRecordException(null, "a Continu " + recordType + " needs an id");
        }
        String recordId = LearningRecord.recordId("continu", recordType, id);
        JsonNode user = raw.path("user");
        JsonNode content = raw.path("content");
        String status = Json.text(raw, "status");
        return LearningRecord.builder("continu", recordType, id)
                .sourceTenant(run.tenant())
                .learner(learner(Json.text(user, "id"), Json.text(user, "email"), Json.text(user, "first_name"),
                        Json.text(user, "last_name")))
                .content(new Content(Json.text(content, "id"), Json.text(content, "title"),
                        Json.text(content, "type"), null))
                .status(ContinuStatus.canonical(status))
                .sourceStatus(status)
                .progress(Units.percentToFraction(Units.number(raw, "progress", recordId)))
                .scorePercent(Units.number(raw, "score", recordId))
                .assignedAt(Units.epochToIso(raw, "assigned_date", recordId))
                .dueAt(Units.epochToIso(raw, "due_date", recordId))
                .startedAt(Units.epochToIso(raw, "started_date", recordId))
                .completedAt(Units.epochToIso(raw, "completed_date", recordId))
                .sourceUpdatedAt(Units.epochToIso(raw, "updated_date", recordId))
                .raw(raw)
                .build(run.startedAt());
    }

    static Learner learner(String id, String email, String first, String last) {
        String full = first == null ? last : last == null ? first : first + " " + last;
        return new Learner(id, email, null, full, first, last, null);
    }
}

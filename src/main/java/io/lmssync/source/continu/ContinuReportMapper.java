package io.lmssync.source.continu;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.RawMirror;
import io.lmssync.source.Reads;
import io.lmssync.source.RecordMapper;
import io.lmssync.source.Units;
import io.lmssync.sync.SyncRun;
import java.util.List;

/**
 * A Continu Reporting API report group's rows as canonical records of one type, keyed by the group's id fields
 * ({@code completion_id}; {@code a/b} for a composite key). Working contract, from content completion's row:
 * {@code {"completion_id", "user_id", "email", "first_name", "last_name", "departments", "content": {"content_id",
 * "title", "type"}, "assignment", "status", "score", "completed_date", "updated_date"}}; another group's row is read
 * by the same names where it has them (a learner, a content sub-object, status, score, assigned, due, completed and
 * updated dates), and the row itself is kept in raw.
 */
public final class ContinuReportMapper extends RecordMapper {

    /** The working contract's row fields this maps (README, Continu Reporting API). */
    static final List<String> FIELDS = List.of("user_id", "email", "first_name", "last_name", "content", "status",
            "score", "completed_date", "updated_date");

    private final String recordType;
    private final List<String> idFields;

    public ContinuReportMapper(String recordType, List<String> idFields) {
        this.recordType = recordType;
        this.idFields = List.copyOf(idFields);
    }

    /**
     * The group's id fields, and the working contract's content-completion row fields it maps: what the request body
     * asks for (a field not asked for is not sent).
     */
    @Override
    public Reads reads() {
        return new Reads(idFields, FIELDS);
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        String id = RawMirror.id(raw, idFields);
        if (id == null) {
            throw new InvalidRecordException(null, "a Continu " + recordType + " row needs "
                    + String.join(" and ", idFields));
        }
        String recordId = LearningRecord.recordId("continu", recordType, id);
        JsonNode content = raw.path("content");
        String status = Json.text(raw, "status");
        String completedAt = Units.epochToIso(raw, "completed_date", recordId);
        return LearningRecord.builder("continu", recordType, id)
                .sourceTenant(run.tenant())
                .learner(ContinuCompletionMapper.learner(Json.text(raw, "user_id"), Json.text(raw, "email"),
                        Json.text(raw, "first_name"), Json.text(raw, "last_name")))
                .content(content.isObject() ? new Content(Json.text(content, "content_id"), Json.text(content, "title"),
                        Json.text(content, "type"), null) : Content.UNKNOWN)
                // a completion report lists completions: without a status word, a completion date says completed
                .status(status == null && completedAt != null ? "completed" : ContinuStatus.canonical(status))
                .sourceStatus(status)
                .scorePercent(Units.number(raw, "score", recordId))
                .assignedAt(Units.epochToIso(raw, "assigned_date", recordId))
                .dueAt(Units.epochToIso(raw, "due_date", recordId))
                .completedAt(completedAt)
                .sourceUpdatedAt(Units.epochToIso(raw, "updated_date", recordId))
                .raw(raw)
                .build(run.startedAt());
    }
}

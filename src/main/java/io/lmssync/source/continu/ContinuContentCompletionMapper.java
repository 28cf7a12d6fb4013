package io.lmssync.source.continu;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Content;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.SyncRun;
import io.lmssync.source.InvalidRecordException;
import io.lmssync.source.RecordMapper;
import io.lmssync.source.Units;

/**
 * Continu Reporting API content completions as content_completion records, keyed by completion_id. Working
 * contract: {@code {"completion_id", "user_id", "email", "first_name", "last_name", "departments", "content":
 * {"content_id", "title", "type"}, "assignment", "status", "score", "completed_date", "updated_date"}}.
 */
public final class ContinuContentCompletionMapper extends RecordMapper {

    static final String RECORD_TYPE = "content_completion";

    public ContinuContentCompletionMapper() {
    }

    @Override
    protected LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException {
        String id = Json.text(raw, "completion_id");
        if (id == null) {
            throw new InvalidRecordException(null, "a Continu content completion needs a completion_id");
        }
        String recordId = LearningRecord.recordId("continu", RECORD_TYPE, id);
        JsonNode content = raw.path("content");
        String status = Json.text(raw, "status");
        String completedAt = Units.epochToIso(raw, "completed_date", recordId);
        return LearningRecord.builder("continu", RECORD_TYPE, id)
                .sourceTenant(run.tenant())
                .learner(ContinuCompletionMapper.learner(Json.text(raw, "user_id"), Json.text(raw, "email"),
                        Json.text(raw, "first_name"), Json.text(raw, "last_name")))
                .content(new Content(Json.text(content, "content_id"), Json.text(content, "title"),
                        Json.text(content, "type"), null))
                // a completion report lists completions: without a status word, a completion date says completed
                .status(status == null && completedAt != null ? "completed" : ContinuStatus.canonical(status))
                .sourceStatus(status)
                .scorePercent(Units.number(raw, "score", recordId))
                .completedAt(completedAt)
                .sourceUpdatedAt(Units.epochToIso(raw, "updated_date", recordId))
                .raw(raw)
                .build(run.startedAt());
    }
}

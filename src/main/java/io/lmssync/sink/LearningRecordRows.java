package io.lmssync.sink;

import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Chunk;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a chunk's records into the rows camel-sql upserts into {@code learning_record}, one map a row. */
public final class LearningRecordRows {

    public List<Map<String, Object>> rows(Chunk chunk) {
        return chunk.toDeliver().stream().map(LearningRecordRows::row).toList();
    }

    public static Map<String, Object> row(LearningRecord r) {
        Map<String, Object> row = new HashMap<>(48);
        row.put("record_id", r.recordId());
        row.put("schema_version", r.schemaVersion());
        row.put("source", r.source());
        row.put("source_tenant", r.sourceTenant());
        row.put("record_type", r.recordType());
        row.put("source_record_id", r.sourceRecordId());
        row.put("learner_source_user_id", r.learner().sourceUserId());
        row.put("learner_email", r.learner().email());
        row.put("learner_username", r.learner().username());
        row.put("learner_full_name", r.learner().fullName());
        row.put("learner_first_name", r.learner().firstName());
        row.put("learner_last_name", r.learner().lastName());
        row.put("learner_external_id", r.learner().externalId());
        row.put("content_source_id", r.content().sourceContentId());
        row.put("content_title", r.content().title());
        row.put("content_type", r.content().type());
        row.put("content_version_id", r.content().versionId());
        row.put("status", r.status());
        row.put("source_status", r.sourceStatus());
        row.put("progress", r.progress());
        row.put("score_percent", r.scorePercent());
        row.put("time_spent_seconds", r.timeSpentSeconds());
        row.put("assigned_at", instant(r.assignedAt()));
        row.put("enrolled_at", instant(r.enrolledAt()));
        row.put("started_at", instant(r.startedAt()));
        row.put("completed_at", instant(r.completedAt()));
        row.put("due_at", instant(r.dueAt()));
        row.put("expires_at", instant(r.expiresAt()));
        row.put("source_updated_at", instant(r.sourceUpdatedAt()));
        row.put("is_active", r.isActive());
        row.put("is_deleted", r.isDeleted());
        row.put("content_hash", r.contentHash());
        row.put("fetched_at", instant(r.fetchedAt()));
        row.put("raw", r.raw() == null ? null : Json.write(r.raw()));
        return row;
    }

    private static OffsetDateTime instant(String iso) {
        return iso == null ? null : Instant.parse(iso).atOffset(ZoneOffset.UTC);
    }
}

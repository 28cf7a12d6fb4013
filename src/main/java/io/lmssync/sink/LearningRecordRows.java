package io.lmssync.sink;

import io.lmssync.record.Content;
import io.lmssync.record.Details;
import io.lmssync.record.Json;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.Parent;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.lmssync.sync.Chunk;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jdbc sink's table, {@code learning_record}, and the canonical record: a chunk's records as the rows camel-sql
 * upserts (one map a row), and a row read back as the record it holds (the last content, which a tombstone carries).
 */
public final class LearningRecordRows {

    /** The columns {@link #read} needs, for a query on {@code learning_record} aliased {@code l}. */
    public static final String COLUMNS = "l.record_id, l.source, l.source_tenant, l.record_type, l.source_record_id, "
            + "l.learner_source_user_id, l.learner_email, l.learner_username, l.learner_full_name, "
            + "l.learner_first_name, l.learner_last_name, l.learner_external_id, l.content_source_id, l.content_title, "
            + "l.content_type, l.content_version_id, l.status, l.source_status, l.progress, l.score_percent, "
            + "l.time_spent_seconds, l.assigned_at, l.enrolled_at, l.started_at, l.completed_at, l.due_at, "
            + "l.expires_at, l.source_updated_at, l.is_active, l.is_deleted, l.fetched_at, l.raw, l.parent_course_id, "
            + "l.parent_course_enrollment_id, l.parent_chapter_id, l.parent_lesson_id, l.parent_lesson_enrollment_id, "
            + "l.details";

    private static final Parent EMPTY_PARENT = new Parent(null, null, null, null, null);

    /** The record a row of {@link #COLUMNS} holds. */
    public static LearningRecord read(ResultSet rs) throws SQLException {
        String raw = rs.getString("raw");
        String details = rs.getString("details");
        Double progress = rs.getObject("progress") == null ? null : rs.getDouble("progress");
        Double score = rs.getObject("score_percent") == null ? null : rs.getDouble("score_percent");
        Long time = rs.getObject("time_spent_seconds") == null ? null : rs.getLong("time_spent_seconds");
        try {
            return LearningRecord.builder(rs.getString("source"), rs.getString("record_type"),
                            rs.getString("source_record_id"))
                    .sourceTenant(rs.getString("source_tenant"))
                    .learner(new Learner(rs.getString("learner_source_user_id"), rs.getString("learner_email"),
                            rs.getString("learner_username"), rs.getString("learner_full_name"),
                            rs.getString("learner_first_name"), rs.getString("learner_last_name"),
                            rs.getString("learner_external_id")))
                    .content(new Content(rs.getString("content_source_id"), rs.getString("content_title"),
                            rs.getString("content_type"), rs.getString("content_version_id")))
                    .parent(new Parent(rs.getString("parent_course_id"), rs.getString("parent_course_enrollment_id"),
                            rs.getString("parent_chapter_id"), rs.getString("parent_lesson_id"),
                            rs.getString("parent_lesson_enrollment_id")))
                    .details(details == null ? null : Json.MAPPER.readValue(details, Details.class))
                    .status(rs.getString("status")).sourceStatus(rs.getString("source_status"))
                    .progress(progress).scorePercent(score).timeSpentSeconds(time)
                    .assignedAt(iso(rs, "assigned_at")).enrolledAt(iso(rs, "enrolled_at"))
                    .startedAt(iso(rs, "started_at")).completedAt(iso(rs, "completed_at")).dueAt(iso(rs, "due_at"))
                    .expiresAt(iso(rs, "expires_at")).sourceUpdatedAt(iso(rs, "source_updated_at"))
                    .active(rs.getBoolean("is_active")).deleted(rs.getBoolean("is_deleted"))
                    .raw(raw == null ? null : Json.MAPPER.readTree(raw))
                    .build(rs.getObject("fetched_at", OffsetDateTime.class).toInstant());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("the raw object of " + rs.getString("record_id") + " is not JSON", e);
        }
    }

    private static String iso(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant().toString();
    }

    /** The rows to upsert, or null when there are none. */
    public List<Map<String, Object>> rows(Chunk chunk) {
        return chunk.toDeliver().isEmpty() ? null : chunk.toDeliver().stream().map(LearningRecordRows::row).toList();
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
        row.put("fetched_at", r.fetchedInstant().atOffset(ZoneOffset.UTC));
        row.put("raw", r.raw() == null ? null : Json.write(r.raw()));
        Parent parent = r.parent() == null ? EMPTY_PARENT : r.parent();
        row.put("parent_course_id", parent.courseId());
        row.put("parent_course_enrollment_id", parent.courseEnrollmentId());
        row.put("parent_chapter_id", parent.chapterId());
        row.put("parent_lesson_id", parent.lessonId());
        row.put("parent_lesson_enrollment_id", parent.lessonEnrollmentId());
        row.put("details", r.details() == null ? null : Json.write(r.details()));
        return row;
    }

    private static OffsetDateTime instant(String iso) {
        return iso == null ? null : Instant.parse(iso).atOffset(ZoneOffset.UTC);
    }
}

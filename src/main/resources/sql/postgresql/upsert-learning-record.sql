-- The jdbc sink's batched upsert on PostgreSQL 15+ (MERGE; raw is jsonb). The H2 twin is sql/h2/; keep the two in step.
-- The batched upsert (camel-sql, batch=true): one statement per record, one commit per chunk.
-- A row whose content_hash is unchanged is left alone; a tombstone only marks the row deleted and keeps its content.
-- Newer wins: a version older than the row's (by source_updated_at where both have one and they differ, else by
-- fetched_at) changes nothing, whichever path brought it.
MERGE INTO learning_record t
USING (VALUES (
    CAST(:#record_id AS VARCHAR(512)), CAST(:#schema_version AS INT), CAST(:#source AS VARCHAR(32)),
    CAST(:#source_tenant AS VARCHAR(255)), CAST(:#record_type AS VARCHAR(64)), CAST(:#source_record_id AS VARCHAR(400)),
    CAST(:#learner_source_user_id AS VARCHAR(1024)), CAST(:#learner_email AS VARCHAR(1024)),
    CAST(:#learner_username AS VARCHAR(1024)), CAST(:#learner_full_name AS VARCHAR(1024)),
    CAST(:#learner_first_name AS VARCHAR(1024)), CAST(:#learner_last_name AS VARCHAR(1024)),
    CAST(:#learner_external_id AS VARCHAR(1024)), CAST(:#content_source_id AS VARCHAR(1024)),
    CAST(:#content_title AS TEXT), CAST(:#content_type AS VARCHAR(1024)), CAST(:#content_version_id AS VARCHAR(1024)),
    CAST(:#status AS VARCHAR(32)), CAST(:#source_status AS VARCHAR(255)), CAST(:#progress AS DOUBLE PRECISION),
    CAST(:#score_percent AS DOUBLE PRECISION), CAST(:#time_spent_seconds AS BIGINT),
    CAST(:#assigned_at AS TIMESTAMP WITH TIME ZONE), CAST(:#enrolled_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#started_at AS TIMESTAMP WITH TIME ZONE), CAST(:#completed_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#due_at AS TIMESTAMP WITH TIME ZONE), CAST(:#expires_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#source_updated_at AS TIMESTAMP WITH TIME ZONE), CAST(:#is_active AS BOOLEAN), CAST(:#is_deleted AS BOOLEAN),
    CAST(:#content_hash AS CHAR(64)), CAST(:#fetched_at AS TIMESTAMP WITH TIME ZONE), CAST(:#raw AS JSONB),
    CAST(:#parent_course_id AS VARCHAR(1024)), CAST(:#parent_course_enrollment_id AS VARCHAR(1024)),
    CAST(:#parent_chapter_id AS VARCHAR(1024)), CAST(:#parent_lesson_id AS VARCHAR(1024)),
    CAST(:#parent_lesson_enrollment_id AS VARCHAR(1024)), CAST(:#details AS JSONB)
)) s (record_id, schema_version, source, source_tenant, record_type, source_record_id, learner_source_user_id,
      learner_email, learner_username, learner_full_name, learner_first_name, learner_last_name, learner_external_id,
      content_source_id, content_title, content_type, content_version_id, status, source_status, progress,
      score_percent, time_spent_seconds, assigned_at, enrolled_at, started_at, completed_at, due_at, expires_at,
      source_updated_at, is_active, is_deleted, content_hash, fetched_at, raw, parent_course_id,
      parent_course_enrollment_id, parent_chapter_id, parent_lesson_id, parent_lesson_enrollment_id, details)
ON t.record_id = s.record_id
WHEN MATCHED AND s.is_deleted AND NOT (CASE
        WHEN t.source_updated_at IS NOT NULL AND s.source_updated_at IS NOT NULL
             AND s.source_updated_at <> t.source_updated_at THEN s.source_updated_at < t.source_updated_at
        ELSE s.fetched_at < t.fetched_at END) THEN UPDATE SET
    is_deleted = TRUE, fetched_at = s.fetched_at, synced_at = CURRENT_TIMESTAMP
WHEN MATCHED AND NOT s.is_deleted AND (t.content_hash <> s.content_hash OR t.is_deleted) AND NOT (CASE
        WHEN t.source_updated_at IS NOT NULL AND s.source_updated_at IS NOT NULL
             AND s.source_updated_at <> t.source_updated_at THEN s.source_updated_at < t.source_updated_at
        ELSE s.fetched_at < t.fetched_at END) THEN UPDATE SET
    schema_version = s.schema_version, source_tenant = s.source_tenant, learner_source_user_id = s.learner_source_user_id,
    learner_email = s.learner_email, learner_username = s.learner_username, learner_full_name = s.learner_full_name,
    learner_first_name = s.learner_first_name, learner_last_name = s.learner_last_name,
    learner_external_id = s.learner_external_id, content_source_id = s.content_source_id,
    content_title = s.content_title, content_type = s.content_type, content_version_id = s.content_version_id,
    status = s.status, source_status = s.source_status, progress = s.progress, score_percent = s.score_percent,
    time_spent_seconds = s.time_spent_seconds, assigned_at = s.assigned_at, enrolled_at = s.enrolled_at,
    started_at = s.started_at, completed_at = s.completed_at, due_at = s.due_at, expires_at = s.expires_at,
    source_updated_at = s.source_updated_at, is_active = s.is_active, is_deleted = FALSE,
    content_hash = s.content_hash, fetched_at = s.fetched_at, raw = s.raw, synced_at = CURRENT_TIMESTAMP,
    parent_course_id = s.parent_course_id, parent_course_enrollment_id = s.parent_course_enrollment_id,
    parent_chapter_id = s.parent_chapter_id, parent_lesson_id = s.parent_lesson_id,
    parent_lesson_enrollment_id = s.parent_lesson_enrollment_id, details = s.details
WHEN NOT MATCHED AND NOT s.is_deleted THEN INSERT (
    record_id, schema_version, source, source_tenant, record_type, source_record_id, learner_source_user_id,
    learner_email, learner_username, learner_full_name, learner_first_name, learner_last_name, learner_external_id,
    content_source_id, content_title, content_type, content_version_id, status, source_status, progress,
    score_percent, time_spent_seconds, assigned_at, enrolled_at, started_at, completed_at, due_at, expires_at,
    source_updated_at, is_active, is_deleted, content_hash, fetched_at, raw, synced_at, parent_course_id,
    parent_course_enrollment_id, parent_chapter_id, parent_lesson_id, parent_lesson_enrollment_id, details)
VALUES (
    s.record_id, s.schema_version, s.source, s.source_tenant, s.record_type, s.source_record_id, s.learner_source_user_id,
    s.learner_email, s.learner_username, s.learner_full_name, s.learner_first_name, s.learner_last_name,
    s.learner_external_id, s.content_source_id, s.content_title, s.content_type, s.content_version_id, s.status,
    s.source_status, s.progress, s.score_percent, s.time_spent_seconds, s.assigned_at, s.enrolled_at, s.started_at,
    s.completed_at, s.due_at, s.expires_at, s.source_updated_at, s.is_active, FALSE, s.content_hash, s.fetched_at,
    s.raw, CURRENT_TIMESTAMP, s.parent_course_id, s.parent_course_enrollment_id, s.parent_chapter_id,
    s.parent_lesson_id, s.parent_lesson_enrollment_id, s.details)

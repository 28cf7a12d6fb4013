-- Thrive is exactly once per completion (db/migration/common: the same SQL on H2 and PostgreSQL).

-- push_done: one row per completion Thrive holds, a record's completion being (record_id, completed_at): a learner
-- who completes the same content again (a new completed_at) is pushed again, the same completion never is. A new
-- table rather than a new primary key, because H2 and PostgreSQL name the old one differently.
CREATE TABLE push_done_by_completion (
    record_id         VARCHAR(512)  NOT NULL,
    thrive_user_id    VARCHAR(255)  NOT NULL,
    thrive_content_id VARCHAR(255)  NOT NULL,
    completed_at      VARCHAR(64)   NOT NULL,
    http_status       INT           NOT NULL,
    answer            VARCHAR(1000),
    pushed_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT push_done_completion PRIMARY KEY (record_id, completed_at)
);
INSERT INTO push_done_by_completion (record_id, thrive_user_id, thrive_content_id, completed_at, http_status, answer,
                                     pushed_at)
SELECT record_id, thrive_user_id, thrive_content_id, completed_at, http_status, answer, pushed_at FROM push_done;
DROP TABLE push_done;
ALTER TABLE push_done_by_completion RENAME TO push_done;

-- when lms-sync first saw a record completed, for records whose vendor gives no completed_at (MOOCit): their
-- completion's time, the same on every push of it (a run that re-sends a chunk after a crash has another time);
-- forgotten when the record stops being a completion, so that completing it again is a new completion
CREATE TABLE push_completion_time (
    record_id    VARCHAR(512) PRIMARY KEY,
    completed_at VARCHAR(64)  NOT NULL
);
-- the times completions were already pushed or parked with stay their times
INSERT INTO push_completion_time (record_id, completed_at) SELECT record_id, completed_at FROM push_done;
INSERT INTO push_completion_time (record_id, completed_at)
SELECT p.record_id, p.completed_at FROM push_pending p
WHERE NOT EXISTS (SELECT 1 FROM push_completion_time t WHERE t.record_id = p.record_id);

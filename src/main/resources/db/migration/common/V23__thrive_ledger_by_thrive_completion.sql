-- The Thrive ledger is keyed by what Thrive counts as one completion (db/migration/common: the same SQL on H2 and
-- PostgreSQL): its user, its content and the completion time. A record that vanished for a night and came back, a
-- record the vendor re-created under another id, two records of one completion (two APIs of one vendor): each is the
-- completion Thrive holds, and is not pushed again. record_id says which record pushed it first.
CREATE TABLE push_done_by_thrive (
    thrive_user_id    VARCHAR(255)  NOT NULL,
    thrive_content_id VARCHAR(255)  NOT NULL,
    completed_at      VARCHAR(64)   NOT NULL,
    record_id         VARCHAR(512)  NOT NULL,
    http_status       INT           NOT NULL,
    answer            VARCHAR(1000),
    pushed_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT push_done_thrive_completion PRIMARY KEY (thrive_user_id, thrive_content_id, completed_at)
);
-- a completion pushed under two records so far keeps its first push
INSERT INTO push_done_by_thrive (thrive_user_id, thrive_content_id, completed_at, record_id, http_status, answer,
                                 pushed_at)
SELECT d.thrive_user_id, d.thrive_content_id, d.completed_at, d.record_id, d.http_status, d.answer, d.pushed_at
FROM push_done d
WHERE NOT EXISTS (SELECT 1 FROM push_done e
                  WHERE e.thrive_user_id = d.thrive_user_id AND e.thrive_content_id = d.thrive_content_id
                    AND e.completed_at = d.completed_at
                    AND (e.pushed_at < d.pushed_at OR e.pushed_at = d.pushed_at AND e.record_id < d.record_id));
DROP TABLE push_done;
ALTER TABLE push_done_by_thrive RENAME TO push_done;
-- a record's completions (a chunk sent again, retention)
CREATE INDEX push_done_record ON push_done (record_id, completed_at);

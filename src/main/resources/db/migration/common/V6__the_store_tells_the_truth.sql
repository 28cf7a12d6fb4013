-- The store tells the truth (db/migration/common: the same SQL on H2 and PostgreSQL).

-- record_index: what "newer wins" compares (the vendor's update time, else the fetch time), the partition a record
-- was read under (a reconciliation deletes only within the partitions it asked about: the roster's learners, the
-- courses) and the record as last delivered (a tombstone carries it). The records a full pull saw are kept in memory
-- for the run, so no row is written to mark an unchanged record seen: seen_run goes.
DROP INDEX record_index_stream_seen;
ALTER TABLE record_index DROP COLUMN seen_run;
ALTER TABLE record_index ADD COLUMN source_updated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE record_index ADD COLUMN fetched_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE record_index ADD COLUMN partition_key VARCHAR(1024);
ALTER TABLE record_index ADD COLUMN last_record VARCHAR;
CREATE INDEX record_index_stream ON record_index (stream, is_deleted, record_id);

-- deletions a full pull planned: applied at once, or held (held = TRUE) when the pull looked like an outage rather
-- than a change, until an operator applies them or a later full pull no longer wants them
CREATE TABLE deletion (
    stream     VARCHAR(128) NOT NULL,
    record_id  VARCHAR(512) NOT NULL,
    run_id     BIGINT       NOT NULL,
    held       BOOLEAN      NOT NULL,
    planned_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (stream, record_id)
);

-- one run of a stream at a time, across threads, processes and nodes; a run that meets a busy stream is queued and
-- runs right after it (once, however often it was asked for)
CREATE TABLE stream_slot (
    stream           VARCHAR(128) PRIMARY KEY,
    holder           VARCHAR(255),
    expires_at       TIMESTAMP WITH TIME ZONE,
    queued_sync      BOOLEAN      NOT NULL,
    queued_reconcile BOOLEAN      NOT NULL
);

-- what a run was (sync, reconcile, replay, apply) and the new counts: deletions held, versions older than the
-- store's, records a reconciliation left alone (outside the partitions or range it read)
ALTER TABLE sync_run ADD COLUMN mode VARCHAR(16) DEFAULT 'sync' NOT NULL;
ALTER TABLE sync_run ADD COLUMN held BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_run ADD COLUMN older BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_run ADD COLUMN left_alone BIGINT DEFAULT 0 NOT NULL;

-- a dead letter's version, when its object said it: a newer valid version of the record supersedes it
ALTER TABLE dead_letter ADD COLUMN source_updated_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX dead_letter_record ON dead_letter (stream, record_id);

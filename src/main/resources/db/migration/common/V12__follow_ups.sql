-- follow_up: what a parent record hands its child streams (db/migration/common: the same SQL on H2 and PostgreSQL).
-- When a record a parent stream delivers is new or changed (an Absorb course enrollment), each child stream (its
-- lesson, chapter and session enrollments) gets a partition to read, pending; written in the transaction that
-- commits the parent's chunk, so no change is lost between the two. A child run reads the pending ones and marks each
-- read once its records are in every sink; a reconciliation reads them all.
CREATE TABLE follow_up (
    stream        VARCHAR(128)  NOT NULL,
    partition_key VARCHAR(1024) NOT NULL,
    pending       BOOLEAN       NOT NULL,
    queued_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT follow_up_key PRIMARY KEY (stream, partition_key)
);
CREATE INDEX follow_up_pending ON follow_up (stream, pending);

-- A run's copies of records an answer held more than once (delivered once), the partitions a source refused that
-- it left out (a roster's learners Continu answers 404 for), and the records it delivered to sinks that were behind
-- the store (a sink added to sync.sinks): each in the run's summary line too.
ALTER TABLE sync_run ADD COLUMN duplicates BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_run ADD COLUMN skipped BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE sync_run ADD COLUMN caught_up BIGINT DEFAULT 0 NOT NULL;

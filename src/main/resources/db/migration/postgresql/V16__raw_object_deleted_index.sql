-- raw_object_deleted held an entry for every archived object, for a look-up the daily retention run makes once: a
-- partial index holds only the deleted ones. (H2 has no partial index: it drops the index and reads the table.)
DROP INDEX raw_object_deleted;
CREATE INDEX raw_object_deleted ON raw_object (deleted_at) WHERE deleted_at IS NOT NULL;

-- raw_object: every stream's vendor objects as received (the text, so a replay maps exactly what came), keyed by
-- stream and the object's id, with its content hash, when it was fetched, the partition it was read under, and when
-- it was found deleted (a tombstone, kept until sync.raw-archive.retention). Written in the transaction that commits
-- a chunk, after every sink took it; an unchanged object is not rewritten. What --replay maps again, with no request.
CREATE TABLE raw_object (
    stream        VARCHAR(128)  NOT NULL,
    object_id     VARCHAR(512)  NOT NULL,
    partition_key VARCHAR(1024),
    content_hash  CHAR(64)      NOT NULL,
    fetched_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at    TIMESTAMP WITH TIME ZONE,
    body          CLOB,
    CONSTRAINT raw_object_key PRIMARY KEY (stream, object_id)
);
CREATE INDEX raw_object_deleted ON raw_object (deleted_at);

-- Files a sink staged for a chunk, committed in the record index's transaction (db/migration/common: the same SQL on
-- H2 and PostgreSQL): moved into place right after, or by the next start when a crash came in between.
CREATE TABLE staged_file (
    staged       VARCHAR(1024) PRIMARY KEY,
    target       VARCHAR(1024) NOT NULL,
    committed_at TIMESTAMP WITH TIME ZONE NOT NULL
);

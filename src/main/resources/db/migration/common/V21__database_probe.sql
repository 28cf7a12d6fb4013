-- Readiness (/observe/health/ready) proves that the database takes a write again after it showed a fault (a full disk,
-- a closed H2 file): one row, rewritten by that probe, whichever node ran it. The same SQL on H2 and PostgreSQL.
CREATE TABLE database_probe (
    id        INT          PRIMARY KEY,
    probed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    node      VARCHAR(255) NOT NULL
);

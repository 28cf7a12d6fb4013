-- A vendor account's requests in the current period, shared by the nodes of a cluster (sync.cluster=true).
-- (db/migration/common: the same SQL on H2 and PostgreSQL.)
CREATE TABLE rate_budget (
    account VARCHAR(64) PRIMARY KEY,
    period  BIGINT      NOT NULL,
    used    INT         NOT NULL
);

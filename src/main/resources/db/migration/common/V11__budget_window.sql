-- A vendor account's budget as the vendor counts it: in a sliding window (any span of a period holds at most the
-- budget), shared by every node, timed by the database's clock (never a node's). Replaces rate_budget's fixed periods,
-- which let two nodes spend one period's budget at its end and the next period's at its start.
-- (db/migration/common: the same SQL on H2 and PostgreSQL.)
DROP TABLE rate_budget;

-- One row per request the account may have in its window (<account>.requests-per-minute rows). A request takes a row
-- whose free_at has passed; the row is free again one period after the vendor's answer arrived, so the vendor, which
-- counts when a request reaches it, never sees more than the budget in a period, whatever the network's delay.
-- state: free, sent (in flight: free_at is then the latest an answer can come plus a period, in case the node dies),
-- answered, or other (held for requests another client sent on the same account, as the vendor counted them).
CREATE TABLE rate_window (
    account VARCHAR(64)  NOT NULL,
    place   INT          NOT NULL,
    state   VARCHAR(8)   NOT NULL,
    claim   VARCHAR(128),
    sent_at TIMESTAMP WITH TIME ZONE,
    free_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account, place)
);

-- A 429 pauses every call of the account, on every node, until paused_until.
CREATE TABLE rate_account (
    account      VARCHAR(64) PRIMARY KEY,
    paused_until TIMESTAMP WITH TIME ZONE NOT NULL
);

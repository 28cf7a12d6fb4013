-- The xapi sink's ledger: every statement the LRS took, by its id, with the record and the completion state it
-- states, and the id of the statement that voided it once the record was deleted or changed state. A record's live
-- statements are those not voided; a state that is live is not sent again (an unchanged run sends nothing).
CREATE TABLE xapi_statement (
    statement_id VARCHAR(36)  NOT NULL,
    record_id    VARCHAR(512) NOT NULL,
    state        VARCHAR(64)  NOT NULL,
    voided_by    VARCHAR(36),
    sent_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT xapi_statement_key PRIMARY KEY (statement_id)
);
CREATE INDEX xapi_statement_record ON xapi_statement (record_id);

-- The Thrive push (db/migration/common: the same SQL on H2 and PostgreSQL).

-- completions waiting for a Thrive mapping, with what is missing; tried again at the end of every run of their stream
CREATE TABLE push_pending (
    record_id           VARCHAR(512)  PRIMARY KEY,
    stream              VARCHAR(128)  NOT NULL,
    learner_email       VARCHAR(1024),
    learner_external_id VARCHAR(1024),
    learner_source_user VARCHAR(1100),
    content             VARCHAR(1100) NOT NULL,
    completed_at        VARCHAR(64)   NOT NULL,
    reason              VARCHAR(4000) NOT NULL,
    attempts            INT           NOT NULL,
    first_seen_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_tried_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX push_pending_stream ON push_pending (stream);

-- completions Thrive holds (201 created, 200 already there): never pushed again
CREATE TABLE push_done (
    record_id         VARCHAR(512)  PRIMARY KEY,
    thrive_user_id    VARCHAR(255)  NOT NULL,
    thrive_content_id VARCHAR(255)  NOT NULL,
    completed_at      VARCHAR(64)   NOT NULL,
    http_status       INT           NOT NULL,
    answer            VARCHAR(1000),
    pushed_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

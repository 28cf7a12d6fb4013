-- The last first-contact check of each stream (and of the Thrive push, as stream 'thrive'): when, how it went, what
-- failed or warned (the settings to fix), and an operator's override that lets a stream whose check failed start.
CREATE TABLE stream_check (
    stream        VARCHAR(128)             NOT NULL PRIMARY KEY,
    checked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome       VARCHAR(16)              NOT NULL,
    summary       VARCHAR(4000),
    overridden_at TIMESTAMP WITH TIME ZONE,
    overridden_by VARCHAR(256)
);

-- Which sinks hold what each stream's store holds: a sink added to sync.sinks (or added again after it missed
-- deliveries) is behind, and a run first delivers it the stream's live records from the store, in record_id order,
-- after_record_id the last it delivered (a run stopped halfway resumes there); caught up, it takes deliveries as the
-- others do. A stream with no row yet takes its configured sinks as caught up.
CREATE TABLE sink_catch_up (
    stream          VARCHAR(128) NOT NULL,
    sink            VARCHAR(32)  NOT NULL,
    caught_up       BOOLEAN      NOT NULL,
    after_record_id VARCHAR(512) NOT NULL,
    CONSTRAINT sink_catch_up_key PRIMARY KEY (stream, sink)
);

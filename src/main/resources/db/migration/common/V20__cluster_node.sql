-- What each node of a cluster runs (sync.cluster=true): a fingerprint of its routes, sources, sinks and settings,
-- the parts it was made of (to say what differs), and when the node was last seen (it renews this while it runs).
CREATE TABLE cluster_node (
    node        VARCHAR(256)  NOT NULL PRIMARY KEY,
    fingerprint CHAR(64)      NOT NULL,
    parts       VARCHAR(65535) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

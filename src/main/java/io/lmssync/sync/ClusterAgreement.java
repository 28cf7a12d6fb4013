package io.lmssync.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lmssync.ConfigurationException;
import io.lmssync.record.Json;
import io.lmssync.record.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster agrees on what it runs ({@code sync.cluster=true}): each node records a fingerprint of its routes,
 * sources, sinks and settings ({@code cluster_node}) and renews it while it runs; a node whose parts differ from a
 * live node's stops at start, naming what differs, unless {@code sync.cluster.allow-differing=true} (a rolling
 * change, for as long as it takes). Nodes that disagree would each believe their own: records marked delivered to a
 * sink one node lacks, a trigger firing on a node without its route.
 */
public final class ClusterAgreement implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAgreement.class);
    /** A node not seen for this long is gone: its parts no longer count. */
    static final Duration GONE = Duration.ofMinutes(2);

    private final DataSource dataSource;
    private final String node;
    private final Map<String, String> parts;
    private final Predicate<String> gone;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lms-sync-cluster-node");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param parts what the node runs, by name: its routes, sources, sinks, and each setting that shapes a sync
     * @param gone  whether a node is known to be gone before its entry runs out (a process of this host that ended:
     *              a node restarted after a crash must not be held to its former self)
     */
    public ClusterAgreement(DataSource dataSource, String node, Map<String, String> parts, Predicate<String> gone) {
        this.dataSource = dataSource;
        this.node = node;
        this.parts = new TreeMap<>(parts);
        this.gone = gone;
    }

    /** The node's fingerprint: the SHA-256 of its parts. */
    public String fingerprint() {
        return Sha256.hex(Json.write(parts));
    }

    /**
     * Checks the node against every live node, records it, and renews it while it runs. Stops the start naming what
     * differs, unless differing is allowed (then it is said once, as a warning).
     */
    public void join(boolean allowDiffering) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT node, fingerprint, parts FROM cluster_node WHERE node <> ? AND seen_at >= CURRENT_TIMESTAMP - "
                        + "INTERVAL '" + GONE.toSeconds() + "' SECOND")) {
            q.setString(1, node);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).equals(fingerprint()) && !gone.test(rs.getString(1))) {
                        differences.add("node " + rs.getString(1) + ": " + differences(read(rs.getString(3))));
                    }
                }
            }
        }
        if (!differences.isEmpty()) {
            String said = "this node's routes, sources, sinks or settings differ from the live nodes' (" + String.join(
                    "; ", differences) + ")";
            if (!allowDiffering) {
                throw new ConfigurationException(said + ": make them alike, or for a rolling change set "
                        + "sync.cluster.allow-differing=true on the nodes that start while it lasts");
            }
            LOG.warn("{}: starting anyway (sync.cluster.allow-differing=true)", said);
        }
        record();
        long every = GONE.toSeconds() / 4;
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.SECONDS);
    }

    /** What differs between this node's parts and another's: a part each, with both values. */
    String differences(Map<String, String> other) {
        Map<String, String> all = new TreeMap<>(other);
        parts.forEach(all::putIfAbsent);
        List<String> said = new ArrayList<>();
        for (String part : all.keySet()) {
            String here = parts.get(part);
            String there = other.get(part);
            if (!java.util.Objects.equals(here, there)) {
                said.add(part + " is " + shown(here) + " here, " + shown(there) + " there");
            }
        }
        return String.join(", ", said);
    }

    private static String shown(String value) {
        return value == null ? "absent" : "'" + (value.length() > 80 ? value.substring(0, 77) + "..." : value) + "'";
    }

    private static Map<String, String> read(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (java.io.IOException e) {
            return Map.of("parts", "unreadable");
        }
    }

    private void record() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement merge = c.prepareStatement("""
                MERGE INTO cluster_node t
                USING (VALUES (CAST(? AS VARCHAR(256)), CAST(? AS CHAR(64)), CAST(? AS VARCHAR(65535))))
                      s(node, fingerprint, parts)
                ON t.node = s.node
                WHEN MATCHED THEN UPDATE SET fingerprint = s.fingerprint, parts = s.parts,
                                             started_at = CURRENT_TIMESTAMP, seen_at = CURRENT_TIMESTAMP
                WHEN NOT MATCHED THEN INSERT (node, fingerprint, parts, started_at, seen_at)
                                      VALUES (s.node, s.fingerprint, s.parts, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
                """)) {
            merge.setString(1, node);
            merge.setString(2, fingerprint());
            merge.setString(3, Json.write(parts));
            merge.executeUpdate();
        }
    }

    private void renew() {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE cluster_node SET seen_at = CURRENT_TIMESTAMP WHERE node = ?")) {
            update.setString(1, node);
            update.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot renew this node's entry in cluster_node: {}", e.getMessage());
        }
    }

    /** The node leaves: it is no longer among the live ones. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM cluster_node WHERE node = ?")) {
            delete.setString(1, node);
            delete.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("cannot remove this node from cluster_node: {}", e.getMessage());
        }
    }
}

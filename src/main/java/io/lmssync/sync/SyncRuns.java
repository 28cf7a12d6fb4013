package io.lmssync.sync;

import io.lmssync.ops.Secrets;
import io.lmssync.vendor.Vendor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Begins and ends stream runs: the {@code sync_run} row, the progress lines and the summary line.
 */
public final class SyncRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** How many ended runs are kept for {@link #endedSince}: enough for one pass of every stream. */
    private static final int RECENT = 1000;

    private final DataSource dataSource;
    private final Map<String, String> tenants;
    private final Clock clock;
    private final StreamControl control;
    private final Map<String, StreamStats> streams = new ConcurrentHashMap<>();
    private final Deque<SyncRun> recent = new ArrayDeque<>();
    private long ended;
    private final Map<Long, Instant> lastProgress = new ConcurrentHashMap<>();

    /** @param tenants each vendor's source_tenant, by vendor key */
    public SyncRuns(DataSource dataSource, Map<String, String> tenants, Clock clock, StreamControl control) {
        this.dataSource = dataSource;
        this.tenants = Map.copyOf(tenants);
        this.clock = clock;
        this.control = control;
    }

    /**
     * Runs still marked running were left by a process that stopped: marked abandoned. Only for a single node: in a
     * cluster, they may be another node's runs under way.
     */
    public void abandonStaleRuns() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            int stale = s.executeUpdate("UPDATE sync_run SET status = 'abandoned', ended_at = CURRENT_TIMESTAMP "
                    + "WHERE status = 'running'");
            if (stale > 0) {
                LOG.warn("{} run(s) were still marked running from a process that stopped; marked abandoned", stale);
            }
        }
    }

    /**
     * Starts a run of a stream and puts it on the exchange as {@link SyncRun#PROPERTY}. A paused stream, or one whose
     * run is still under way (a run started by an operator meets the schedule), skips this run: the route stops.
     */
    public SyncRun begin(Exchange exchange, String vendor, String stream) throws SQLException {
        if (control.pausedSince(stream).isPresent()) {
            LOG.info("{} is paused: this run is skipped (resume it through JMX)", stream);
            exchange.setRouteStop(true);
            return null;
        }
        StreamStats stats = stats(stream);
        Instant now = clock.instant();
        SyncRun claim = new SyncRun(-1, vendor, stream, tenants.get(vendor), now);
        if (!stats.claim(claim)) {
            LOG.warn("{} has a run under way: this run is skipped", stream);
            exchange.setRouteStop(true);
            return null;
        }
        long id;
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO sync_run (vendor, stream, started_at, status, node) VALUES (?, ?, ?, 'running', ?)",
                        new String[] {"id"})) {
            insert.setString(1, vendor);
            insert.setString(2, stream);
            insert.setObject(3, now.atOffset(ZoneOffset.UTC));
            insert.setString(4, control.node());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        } catch (SQLException | RuntimeException e) {
            stats.release();
            throw e;
        }
        SyncRun run = new SyncRun(id, vendor, stream, tenants.get(vendor), now);
        stats.started(run);
        exchange.setProperty(SyncRun.PROPERTY, run);
        // a safety net: a run whose exchange ends without complete or fail still ends, and frees its stream
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (run.status() == SyncRun.Status.RUNNING) {
                    end(run, SyncRun.Status.FAILED, "the run stopped without finishing (no error reached the stream);"
                            + " its cursor did not move");
                }
            }
        });
        LOG.info("{}: run {} started", stream, id);
        return run;
    }

    /** The stream as this process saw it. */
    public StreamStats stats(String stream) {
        return streams.computeIfAbsent(stream, StreamStats::new);
    }

    public StreamControl control() {
        return control;
    }

    /** A progress line every few seconds while a long run delivers. */
    public void delivered(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Instant now = clock.instant();
        Instant last = lastProgress.getOrDefault(run.id(), run.startedAt());
        if (Duration.between(last, now).compareTo(PROGRESS_EVERY) >= 0) {
            lastProgress.put(run.id(), now);
            String of = run.expected() >= 0 ? " of " + run.expected() : "";
            LOG.info("{}: {}{} records delivered so far ({} new, {} changed, {} unchanged, {} dead-lettered)",
                    run.stream(), run.handled(), of, run.inserted(), run.updated(), run.unchanged(),
                    run.deadLettered());
        }
    }

    /** The run delivered everything it read: it ends as succeeded. */
    public void complete(Exchange exchange) {
        end(exchange.getProperty(SyncRun.PROPERTY, SyncRun.class), SyncRun.Status.SUCCEEDED, null);
    }

    /** The run failed (called from the error handlers): nothing moves, and the reason is kept without secrets. */
    public void fail(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = describe(run, cause);
        if (run == null) {
            LOG.error("a run failed before it began: {}", reason, cause);
            return;
        }
        if (run.status() != SyncRun.Status.RUNNING) {
            return; // already ended: a failure inside a splitter reaches the handler once more from the outer route
        }
        LOG.debug("{} failed", run.stream(), cause);
        end(run, SyncRun.Status.FAILED, reason);
    }

    /** Runs that ended in this process, oldest first. */
    /** How many runs ended so far in this process: a marker for {@link #endedSince}. */
    public synchronized long endedCount() {
        return ended;
    }

    /** The runs that ended after the marker, oldest first. */
    public synchronized List<SyncRun> endedSince(long marker) {
        List<SyncRun> all = new ArrayList<>(recent);
        int count = (int) Math.min(all.size(), ended - marker);
        return List.copyOf(all.subList(all.size() - count, all.size()));
    }

    private static String describe(SyncRun run, Exception cause) {
        if (cause == null) {
            return "unknown error";
        }
        // Camel wraps a failure inside a splitter or recipient list; what happened is the cause
        while (cause instanceof CamelExchangeException && cause.getCause() instanceof Exception inner) {
            cause = inner;
        }
        if (cause instanceof HttpOperationFailedException http && run != null
                && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
            return Vendor.byKey(run.vendor()).map(v -> v.credentialsRejected(http.getStatusCode()))
                    .orElse(http.getMessage());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Secrets.mask(message.replaceAll("\\s+", " "));
    }

    private void end(SyncRun run, SyncRun.Status status, String error) {
        run.end(status, error, clock.instant());
        lastProgress.remove(run.id());
        stats(run.stream()).ended(run);
        synchronized (this) {
            recent.addLast(run);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
            ended++;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("""
                        UPDATE sync_run SET ended_at = ?, status = ?, fetched = ?, inserted = ?, updated = ?,
                               unchanged = ?, deleted = ?, dead_lettered = ?, error = ?
                        WHERE id = ?
                        """)) {
            update.setObject(1, run.startedAt().plus(run.duration()).atOffset(ZoneOffset.UTC));
            update.setString(2, status.name().toLowerCase(java.util.Locale.ROOT));
            update.setLong(3, run.fetched());
            update.setLong(4, run.inserted());
            update.setLong(5, run.updated());
            update.setLong(6, run.unchanged());
            update.setLong(7, run.deleted());
            update.setLong(8, run.deadLettered());
            update.setString(9, error == null ? null : error.length() > 4000 ? error.substring(0, 4000) : error);
            update.setLong(10, run.id());
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot record the end of run {} of {}: {}", run.id(), run.stream(), e.getMessage());
        }
        if (status == SyncRun.Status.SUCCEEDED) {
            LOG.info(run.summary());
        } else {
            LOG.error(run.summary());
        }
    }
}

package io.lmssync.sync;

import io.lmssync.ops.Secrets;
import io.lmssync.source.Source;
import io.lmssync.source.Stream;
import io.lmssync.source.Sources;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
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
    private final Sources sources;
    private final Clock clock;
    private final StreamControl control;
    private final StreamSlots slots;
    private final AccountSlots accounts;
    /** The account slot each stream's run under way holds, by stream (a stream has one run at a time). */
    private final Map<String, String> accountHeld = new ConcurrentHashMap<>();
    private final Map<String, StreamStats> streams = new ConcurrentHashMap<>();
    private final Deque<SyncRun> recent = new ArrayDeque<>();
    private long ended;
    private final Map<Long, Instant> lastProgress = new ConcurrentHashMap<>();
    private final AtomicInteger followUps = new AtomicInteger();
    /** Whether this process runs one pass and exits ({@code --once}): a busy stream is then waited for. */
    private final boolean runOnce;

    private volatile CamelContext context;
    /** What a stream that never synced must pass before its first sync (null: nothing). */
    private volatile Gate gate;

    /** Whether a run of a stream may start: empty, or why not (a first contact that failed). */
    @FunctionalInterface
    public interface Gate {
        java.util.Optional<String> refuses(String stream) throws Exception;
    }

    /** @param runOnce this process runs one pass and exits: a run that finds its stream busy waits for it */
    public SyncRuns(DataSource dataSource, Sources sources, Clock clock, StreamControl control, StreamSlots slots,
            AccountSlots accounts, boolean runOnce) {
        this.runOnce = runOnce;
        this.dataSource = dataSource;
        this.sources = sources;
        this.clock = clock;
        this.control = control;
        this.slots = slots;
        this.accounts = accounts;
    }

    /** The context whose routes run queued runs. */
    public void context(CamelContext camel) {
        this.context = camel;
    }

    /** What a sync or reconciliation of a stream must pass before it starts. */
    public void gate(Gate firstContact) {
        this.gate = firstContact;
    }

    /**
     * Runs still marked running whose process is gone are marked abandoned, and their slots freed. A process is gone
     * when its slots' lease ran out, or when it ran on this host and no longer does; a run of a live process (a
     * service beside a cron {@code --once}, the old node of a rolling deploy) is left alone, slots and all.
     */
    public void abandonDeadRuns() throws SQLException {
        int freed = slots.freeDead();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            int stale = s.executeUpdate("UPDATE sync_run SET status = 'abandoned', ended_at = CURRENT_TIMESTAMP "
                    + "WHERE status = 'running' AND NOT EXISTS (SELECT 1 FROM stream_slot s "
                    + "WHERE s.stream = sync_run.stream AND s.holder IS NOT NULL AND s.expires_at >= CURRENT_TIMESTAMP)");
            if (stale > 0 || freed > 0) {
                LOG.warn("{} run(s) of a process that stopped were still marked running: marked abandoned ({} slot(s) "
                        + "freed)", stale, freed);
            }
        }
    }

    /** The holders whose runs are under way (their leases live), this process among them. */
    public java.util.Set<String> liveHolders() throws SQLException {
        return slots.liveHolders();
    }

    /**
     * Starts a run of a stream of the source, of the mode the message says ({@link SyncRun.Mode}; a sync when it says
     * none), and puts it on the exchange as {@link SyncRun#PROPERTY}. A paused stream skips the run; a sync or
     * reconciliation of a stream whose run is under way (here or on another node) is queued to run right after it,
     * once; a replay or an apply is refused (the operator asks again): the route stops either way.
     */
    public SyncRun begin(Exchange exchange, String stream) throws SQLException {
        SyncRun.Mode mode = exchange.getMessage().getBody(SyncRun.Mode.class);
        return begin(exchange, sources.stream(stream), mode == null ? SyncRun.Mode.SYNC : mode);
    }

    /** Whether the run replays the stream's dead letters (and, a re-map, its raw archive first). */
    public boolean replaying(Exchange exchange) {
        SyncRun.Mode mode = run(exchange).mode();
        return mode == SyncRun.Mode.REPLAY || mode == SyncRun.Mode.REMAP;
    }

    /** Whether the run applies the stream's held deletions. */
    public boolean applying(Exchange exchange) {
        return run(exchange).mode() == SyncRun.Mode.APPLY;
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    private SyncRun begin(Exchange exchange, Stream declared, SyncRun.Mode mode) throws SQLException {
        String stream = declared.id();
        Source source = sources.source(declared.source());
        if (control.pausedSince(stream).isPresent()) {
            LOG.info("{} is paused: this run is skipped (resume it through JMX)", stream);
            exchange.setRouteStop(true);
            return null;
        }
        boolean callsSource = mode == SyncRun.Mode.SYNC || mode == SyncRun.Mode.RECONCILE;
        if (!claim(stream, mode) || callsSource && !holdAccount(stream, source.account())) {
            exchange.setRouteStop(true);
            return null;
        }
        SyncRun run = record(declared, source, mode);
        stats(stream).started(run);
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
        RunLogContext.enter(run);
        LOG.info("{}: run {} started{}", stream, run.id(), mode == SyncRun.Mode.SYNC ? "" : " (" + mode.label() + ")");
        String refused = callsSource ? refusedByGate(stream) : null;
        if (refused != null) {
            end(run, SyncRun.Status.FAILED, refused);
            exchange.setRouteStop(true);
            return null;
        }
        return run;
    }

    /**
     * Takes the stream's slot for the run; false when the run does not go ahead: an operator's action meeting a busy
     * stream (the operator asks again), a scheduled run queued behind the run under way, or a stop while waiting.
     * A process that exits after its pass waits for the run under way, then runs its own.
     */
    private boolean claim(String stream, SyncRun.Mode mode) throws SQLException {
        boolean reconcile = mode == SyncRun.Mode.RECONCILE;
        boolean said = false;
        while (!slots.claim(stream, reconcile)) {
            if (mode == SyncRun.Mode.REPLAY || mode == SyncRun.Mode.APPLY || mode == SyncRun.Mode.REMAP) {
                LOG.warn("{} is busy: a run is under way ({}); the {} is not started", stream,
                        slots.holderOf(stream).orElse("it just ended"), mode.label());
                return false;
            }
            if (!runOnce) {
                if (slots.queue(stream, reconcile)) {
                    LOG.info("{} has a run under way: this {} runs right after it", stream, mode.label());
                    return false;
                }
                continue;
            }
            if (!said) {
                LOG.warn("{} is busy: a run is under way ({}); this {} waits for it to end", stream,
                        slots.holderOf(stream).orElse("it just ended"), mode.label());
                said = true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(1).toNanos());
            if (Thread.interrupted()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A run that calls the source also holds its account's slot, when the account allows one session at a time;
     * false (the stream's slot freed) when stopped while waiting for it.
     */
    private boolean holdAccount(String stream, String account) throws SQLException {
        String accountSlot = accounts.slotOf(account);
        if (accountSlot == null) {
            return true;
        }
        try {
            accounts.hold(accountSlot, stream);
        } catch (InterruptedException stopping) {
            slots.release(stream);
            Thread.currentThread().interrupt();
            return false;
        } catch (SQLException | RuntimeException e) {
            slots.release(stream);
            throw e;
        }
        accountHeld.put(stream, accountSlot);
        return true;
    }

    /** The run's row in sync_run, with whether the store held live records of its stream as it began. */
    private SyncRun record(Stream declared, Source source, SyncRun.Mode mode) throws SQLException {
        String stream = declared.id();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO sync_run (source, stream, started_at, "
                        + "status, node, mode) VALUES (?, ?, ?, 'running', ?, ?)", new String[] {"id"})) {
            insert.setString(1, source.key());
            insert.setString(2, stream);
            insert.setObject(3, now.atOffset(ZoneOffset.UTC));
            insert.setString(4, control.node());
            insert.setString(5, mode.label());
            insert.executeUpdate();
            long id;
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            SyncRun run = new SyncRun(id, source.key(), source.account(), stream, sources.tenant(source), now, mode,
                    declared.windowed());
            run.heldLiveRecords(holdsLive(c, stream));
            return run;
        } catch (SQLException | RuntimeException e) {
            releaseAccount(stream);
            slots.release(stream);
            throw e;
        }
    }

    /** Why the gate refuses the stream's run (its first contact failed), or null. */
    private String refusedByGate(String stream) {
        Gate first = gate;
        if (first == null) {
            return null;
        }
        try {
            return first.refuses(stream).orElse(null);
        } catch (Exception e) {
            return "its first-contact check could not run, so its first sync does not start: " + Secrets.mask(
                    String.valueOf(e.getMessage()));
        }
    }

    /** Whether the index holds any live record of the stream (one probe: a stream's first sync has none). */
    private static boolean holdsLive(Connection c, String stream) throws SQLException {
        try (PreparedStatement probe = c.prepareStatement("SELECT 1 FROM record_index WHERE stream = ? "
                + "AND is_deleted = FALSE FETCH FIRST 1 ROW ONLY")) {
            probe.setString(1, stream);
            try (ResultSet rs = probe.executeQuery()) {
                return rs.next();
            }
        }
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
        // Camel wraps a failure inside a splitter, a recipient list, a bean predicate or a nested call; what happened
        // is the cause
        while ((cause instanceof CamelExchangeException || cause instanceof org.apache.camel.RuntimeCamelException)
                && cause.getCause() instanceof Exception inner) {
            cause = inner;
        }
        if (cause instanceof HttpOperationFailedException http && run != null
                && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
            return Sources.byKey(run.source()).map(s -> Sources.credentialsRejected(s, "HTTP " + http.getStatusCode()))
                    .orElse(http.getMessage());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Secrets.mask(message.replaceAll("\\s+", " "));
    }

    private void end(SyncRun run, SyncRun.Status status, String error) {
        RunLogContext.enter(run); // the safety net may end a run on another thread
        run.end(status, error, clock.instant());
        lastProgress.remove(run.id());
        stats(run.stream()).ended(run);
        StreamSlots.Queued queued;
        try {
            releaseAccount(run.stream());
            queued = slots.release(run.stream());
        } catch (SQLException e) {
            LOG.warn("cannot free the slot of {}: {} (freed at its next run here, or by itself within {})",
                    run.stream(), e.getMessage(), StreamSlots.LEASE);
            queued = new StreamSlots.Queued(false, false);
        }
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
                               unchanged = ?, deleted = ?, dead_lettered = ?, error = ?, held = ?, older = ?,
                               left_alone = ?, duplicates = ?, skipped = ?, caught_up = ?
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
            update.setLong(10, run.held());
            update.setLong(11, run.older());
            update.setLong(12, run.leftAlone());
            update.setLong(13, run.duplicates());
            update.setLong(14, run.skipped());
            update.setLong(15, run.caughtUp().values().stream().mapToLong(Long::longValue).sum());
            update.setLong(16, run.id());
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot record the end of run {} of {}: {}", run.id(), run.stream(), e.getMessage());
        }
        if (status == SyncRun.Status.SUCCEEDED) {
            LOG.info(run.summary());
        } else {
            LOG.error(run.summary());
        }
        RunLogContext.leave();
        if (queued.any()) {
            followUp(run.stream(), queued.reconcile());
        }
    }

    /** Frees the account slot the stream's run holds, if it holds one. */
    private void releaseAccount(String stream) throws SQLException {
        String slot = accountHeld.remove(stream);
        if (slot != null) {
            accounts.release(slot);
        }
    }

    /** Starts the run that was queued behind one that just ended, in the background. */
    private void followUp(String stream, boolean reconcile) {
        Route route = context == null ? null : context.getRoute(stream);
        if (route == null) {
            LOG.warn("{}: a queued run cannot start here (no such route); the next scheduled run covers it", stream);
            return;
        }
        LOG.info("{}: starting the {} queued behind the run that ended", stream, reconcile ? "reconciliation" : "sync");
        followUps.incrementAndGet();
        ProducerTemplate template = context.createProducerTemplate();
        template.asyncSendBody(route.getEndpoint(), reconcile ? SyncRun.Mode.RECONCILE : SyncRun.Mode.SYNC)
                .whenComplete((exchange, failure) -> {
            followUps.decrementAndGet();
            try {
                template.close();
            } catch (Exception e) {
                LOG.debug("cannot close a producer template", e);
            }
        });
    }

    /** Whether runs queued behind others are still under way in this process (run-once waits for them). */
    public boolean followUpsRunning() {
        return followUps.get() > 0;
    }

    /** Stops renewing this process's slots (the service is stopping). */
    public void close() {
        slots.close();
    }
}

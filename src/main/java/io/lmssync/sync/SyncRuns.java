package io.lmssync.sync;

import io.lmssync.ops.Secrets;
import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import io.lmssync.source.Stream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Begins and ends stream runs: the slots a run holds ({@link RunSlots}), its {@code sync_run} row ({@link RunRows}),
 * the progress lines and the summary line, and the run queued behind one that ended ({@link QueuedRuns}).
 */
public final class SyncRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final Sources sources;
    private final Clock clock;
    private final StreamControl control;
    private final StreamSlots slots;
    private final RunSlots runSlots;
    private final RunRows rows;
    private final Map<String, StreamStats> streams = new ConcurrentHashMap<>();
    private final EndedRuns ended = new EndedRuns();
    private final Map<Long, Instant> lastProgress = new ConcurrentHashMap<>();
    private final QueuedRuns queued = new QueuedRuns();

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
        this.sources = sources;
        this.clock = clock;
        this.control = control;
        this.slots = slots;
        this.runSlots = new RunSlots(slots, accounts, runOnce);
        this.rows = new RunRows(dataSource, sources, clock, control.node());
    }

    /** The context whose routes run queued runs. */
    public void context(CamelContext camel) {
        queued.context(camel);
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
        int stale = rows.abandonUnheld();
        if (stale > 0 || freed > 0) {
            LOG.warn("{} run(s) of a process that stopped were still marked running: marked abandoned ({} slot(s) "
                    + "freed)", stale, freed);
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
        if (!runSlots.claim(stream, mode) || callsSource && !runSlots.holdAccount(stream, source.account())) {
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

    /** The run's row in sync_run; a run whose row cannot be written frees its slots. */
    private SyncRun record(Stream declared, Source source, SyncRun.Mode mode) throws SQLException {
        try {
            return rows.begun(declared, source, mode);
        } catch (SQLException | RuntimeException e) {
            runSlots.release(declared.id());
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
        String reason = FailureReason.of(run, cause);
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
    public long endedCount() {
        return ended.count();
    }

    /** The runs that ended after the marker, oldest first. */
    public List<SyncRun> endedSince(long marker) {
        return ended.since(marker);
    }

    private void end(SyncRun run, SyncRun.Status status, String error) {
        RunLogContext.enter(run); // the safety net may end a run on another thread
        run.end(status, error, clock.instant());
        lastProgress.remove(run.id());
        stats(run.stream()).ended(run);
        StreamSlots.Queued behind = runSlots.releaseEnded(run.stream());
        ended.add(run);
        rows.ended(run, status, error);
        if (status == SyncRun.Status.SUCCEEDED) {
            LOG.info(run.summary());
        } else {
            LOG.error(run.summary());
        }
        RunLogContext.leave();
        if (behind.any()) {
            queued.start(run.stream(), behind.reconcile());
        }
    }

    /** Whether runs queued behind others are still under way in this process (run-once waits for them). */
    public boolean followUpsRunning() {
        return queued.running();
    }

    /** Stops renewing this process's slots (the service is stopping). */
    public void close() {
        slots.close();
    }
}

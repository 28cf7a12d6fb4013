package io.lmssync.sync;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's request plan in time, and its position. A run covers [cursor - lookback, now - settle lag] (with no
 * cursor yet: from {@code <source>.start-date}, or Unix time 0 when it is empty), cut into windows of at most
 * {@code <source>.window}, run in order.
 * Each window is a row of the {@code sync_window} ledger; when a window's records are in every sink the cursor moves
 * to its end, so a stopped or crashed backfill resumes at the first unfinished window and never redoes a finished
 * one. A reconciliation run covers the whole history and moves no cursor. Now is the database's now: every node plans
 * by the same clock, and a cursor ahead of it is read from now.
 */
public final class SyncWindows {

    /** The window being run, on the exchange ({@link #window}). */
    private static final String WINDOW = "lmsWindow";

    private static final Logger LOG = LoggerFactory.getLogger(SyncWindows.class);

    /** The window being run, with the count of records the run had handled when it began. */
    private record Running(Window window, long handledBefore) {
    }

    /** One window of a run: the k-th of n, [start, end). */
    public record Window(int number, int of, Instant start, Instant end) {
        public long fromEpochSecond() {
            return start.getEpochSecond();
        }

        public long untilEpochSecond() {
            return end.getEpochSecond();
        }
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final Clock clock;

    public SyncWindows(DataSource dataSource, Settings settings, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
    }

    /** Checks a windowed vendor's settings at start-up; every error names its key. */
    public static void validate(Settings settings, String source) {
        startDate(settings, source);
        if (settings.duration(source + ".window").isZero()) {
            throw new ConfigurationException(source + ".window must be longer than zero");
        }
        settings.duration(source + ".lookback");
        settings.duration("sync.settle-lag");
    }

    /**
     * The run's windows: from the cursor (or the start date; a reconciliation: always) to now, in order. A snapshot
     * stream's run is one window without a range, which moves the cursor (the time of the last complete snapshot) to
     * the run's start when it is done.
     */
    public List<Window> plan(Exchange exchange) throws SQLException {
        SyncRun run = run(exchange);
        if (!run.windowed()) {
            return List.of(new Window(1, 1, run.startedAt(), run.startedAt()));
        }
        String source = run.source();
        // whole seconds: the vendors take Unix seconds, and the ledger keys windows by their start
        Instant until = clock.instant().minus(settings.duration("sync.settle-lag")).truncatedTo(ChronoUnit.SECONDS);
        Instant from = startDate(settings, source).truncatedTo(ChronoUnit.SECONDS);
        boolean reconcile = run.mode() == SyncRun.Mode.RECONCILE;
        if (reconcile) {
            run.range(from, until); // what its deletions may cover
        } else {
            Instant cursor = cursor(run.stream());
            Instant now = until.plus(settings.duration("sync.settle-lag"));
            if (cursor != null && cursor.isAfter(now)) {
                // a node whose clock ran ahead moved it there, or an operator: waiting for it reads nothing for hours
                LOG.warn("{}: the cursor {} is ahead of the database's clock ({}): read from now instead", run.stream(),
                        cursor, now);
                cursor = now;
            }
            if (cursor != null) {
                from = cursor.minus(settings.duration(source + ".lookback")).truncatedTo(ChronoUnit.SECONDS);
            }
        }
        abandonUnfinished(exchange);
        Duration size = settings.duration(source + ".window");
        List<Instant> starts = new ArrayList<>();
        for (Instant start = from; start.isBefore(until); start = start.plus(size)) {
            starts.add(start);
        }
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            Instant end = i + 1 < starts.size() ? starts.get(i + 1) : until;
            windows.add(new Window(i + 1, starts.size(), starts.get(i), end));
        }
        run.windowsPlanned(windows.size());
        LOG.info("{}: {} {} from {} to {}", run.stream(), windows.size() == 1 ? "1 window" : windows.size() + " windows",
                reconcile ? "to reconcile" : "to sync", from, until);
        return windows;
    }

    /**
     * A window still marked running belongs to a run that stopped (this run holds the stream's slot, so no other is
     * under way): marked abandoned. The run resumes from the cursor, the end of the last window done.
     */
    private void abandonUnfinished(Exchange exchange) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE sync_window SET status = 'abandoned' WHERE stream = ? AND status = 'running'")) {
            update.setString(1, ledgerKey(exchange));
            int stale = update.executeUpdate();
            if (stale > 0) {
                LOG.info("{}: {} window(s) a stopped run left unfinished are marked abandoned; this run resumes "
                        + "from the cursor", run(exchange).stream(), stale);
            }
        }
    }

    /** The window the exchange runs. */
    public static Window window(Exchange exchange) {
        Running running = exchange.getProperty(WINDOW, Running.class);
        return running == null ? null : running.window();
    }

    /** A window begins: its ledger row is running, one attempt more. */
    public void started(Exchange exchange) throws SQLException {
        Window window = exchange.getMessage().getBody(Window.class);
        exchange.setProperty(WINDOW, new Running(window, run(exchange).handled()));
        if (!run(exchange).windowed()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement merge = c.prepareStatement("""
                MERGE INTO sync_window t
                USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS TIMESTAMP WITH TIME ZONE),
                               CAST(? AS TIMESTAMP WITH TIME ZONE))) s(stream, window_start, window_end)
                ON t.stream = s.stream AND t.window_start = s.window_start
                WHEN MATCHED THEN UPDATE SET window_end = s.window_end, status = 'running', attempts = t.attempts + 1,
                                             started_at = CURRENT_TIMESTAMP, finished_at = NULL
                WHEN NOT MATCHED THEN INSERT (stream, window_start, window_end, status, attempts, records, started_at)
                                      VALUES (s.stream, s.window_start, s.window_end, 'running', 1, 0, CURRENT_TIMESTAMP)
                """)) {
            merge.setString(1, ledgerKey(exchange));
            merge.setObject(2, utc(window.start()));
            merge.setObject(3, utc(window.end()));
            merge.executeUpdate();
        }
    }

    /**
     * Every record of the window is in every sink: the ledger says done and the cursor moves to the window's end (a
     * snapshot's: to the run's start).
     */
    public void done(Exchange exchange) throws SQLException {
        SyncRun run = run(exchange);
        Running running = exchange.getProperty(WINDOW, Running.class);
        Window window = running.window();
        if (!run.windowed()) {
            moveCursor(run, run.startedAt());
            return;
        }
        long records = run.handled() - running.handledBefore();
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE sync_window SET status = 'done', records = ?, finished_at = CURRENT_TIMESTAMP "
                        + "WHERE stream = ? AND window_start = ?")) {
            update.setLong(1, records);
            update.setString(2, ledgerKey(exchange));
            update.setObject(3, utc(window.start()));
            update.executeUpdate();
        }
        if (run.mode() != SyncRun.Mode.RECONCILE) {
            moveCursor(run, window.end());
        }
        run.windowDone();
        LOG.info("{}: window {} of {} done ({} to {}): {} records, {} so far", run.stream(), window.number(),
                window.of(), window.start(), window.end(), records, run.handled());
    }

    /** Where the vendor's history starts, from which a stream without a cursor reads: its start-date, or Unix 0. */
    public Instant historyStart(String source) {
        return startDate(settings, source);
    }

    /** The stream's position, or null before its first complete window or snapshot. */
    public Instant cursor(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT position FROM sync_cursor WHERE stream = ?")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
            }
        }
    }

    private void moveCursor(SyncRun run, Instant position) throws SQLException {
        moveCursor(run.stream(), position, run.id());
    }

    /**
     * An operator sets the stream's cursor (JMX resetCursor): the next run reads from there. Not past now by the
     * database's clock (the next runs would read nothing until then).
     */
    public void resetCursor(String stream, Instant position) throws SQLException {
        Instant now = clock.instant();
        if (position.isAfter(now)) {
            throw new IllegalArgumentException(position + " is in the future (the database's clock says " + now
                    + "): a cursor there would read nothing until then");
        }
        moveCursor(stream, position, null);
    }

    /** Now by the clock windows are planned with (the database's). */
    public Instant now() {
        return clock.instant();
    }

    private void moveCursor(String stream, Instant position, Long runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement merge = c.prepareStatement("""
                MERGE INTO sync_cursor t
                USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS BIGINT)))
                      s(stream, position, run_id)
                ON t.stream = s.stream
                WHEN MATCHED THEN UPDATE SET position = s.position, run_id = s.run_id, updated_at = CURRENT_TIMESTAMP
                WHEN NOT MATCHED THEN INSERT (stream, position, run_id, updated_at)
                                      VALUES (s.stream, s.position, s.run_id, CURRENT_TIMESTAMP)
                """)) {
            merge.setString(1, stream);
            merge.setObject(2, utc(position));
            merge.setObject(3, runId, java.sql.Types.BIGINT);
            merge.executeUpdate();
        }
    }

    private static String ledgerKey(Exchange exchange) {
        String stream = run(exchange).stream();
        return run(exchange).mode() == SyncRun.Mode.RECONCILE ? stream + "#reconcile" : stream;
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Where a source's history starts: {@code <source>.start-date}, or Unix time 0 when it is empty. */
    public static Instant startDate(Settings settings, String source) {
        String key = source + ".start-date";
        String value = settings.optional(key).orElse(null);
        if (value == null) {
            return Instant.EPOCH;
        }
        try {
            return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(key + " must be a date (2020-01-01) or an instant (2020-01-01T00:00:00Z),"
                    + " not '" + value + "'");
        }
    }
}

package io.lmssync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a stream at a time, across threads, processes and the nodes of a cluster: a row of {@code stream_slot}
 * per stream, held by the run under way. A run that finds its stream busy is queued on that row (a sync and a
 * reconciliation each at most once) and the holder starts it when it ends: no fire is silently lost. A holder renews
 * its slots while it lives; a node that dies loses them after {@link #LEASE}. Times are the database's.
 */
public final class StreamSlots implements AutoCloseable {

    /** A slot not renewed for this long is free again (its node died). */
    static final Duration LEASE = Duration.ofSeconds(120);

    private static final Logger LOG = LoggerFactory.getLogger(StreamSlots.class);

    /** What was queued behind a run when it ended. */
    public record Queued(boolean sync, boolean reconcile) {
        public boolean any() {
            return sync || reconcile;
        }
    }

    private final DataSource dataSource;
    private final String holder;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Slots of runs of this process that ended but could not be freed (the database failed): freed at next claim. */
    private final Set<String> unfreed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;

    public StreamSlots(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.holder = node + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lms-sync-slot-renewer");
            t.setDaemon(true);
            return t;
        });
        long every = LEASE.toSeconds() / 4;
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.SECONDS);
    }

    /** This process's name among the holders. */
    public String holder() {
        return holder;
    }

    /** The holders whose slots are live: processes with a run under way. */
    public Set<String> liveHolders() throws SQLException {
        Set<String> live = new java.util.HashSet<>(Set.of(holder));
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT DISTINCT holder FROM stream_slot WHERE holder IS NOT NULL AND expires_at >= CURRENT_TIMESTAMP");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                live.add(rs.getString(1));
            }
        }
        return live;
    }

    /**
     * Frees the slots of holders that are gone: their lease ran out, or they ran on this host as a process that no
     * longer exists (a restart after a crash need not wait out the lease). How many were freed.
     */
    public int freeDead() throws SQLException {
        int freed = 0;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement expired = c.prepareStatement("UPDATE stream_slot SET holder = NULL, expires_at = "
                    + "NULL WHERE holder IS NOT NULL AND expires_at < CURRENT_TIMESTAMP")) {
                freed += expired.executeUpdate();
            }
            List<String> holders = new java.util.ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT DISTINCT holder FROM stream_slot WHERE holder IS NOT NULL");
                    ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    holders.add(rs.getString(1));
                }
            }
            try (PreparedStatement free = c.prepareStatement(
                    "UPDATE stream_slot SET holder = NULL, expires_at = NULL WHERE holder = ?")) {
                for (String other : holders) {
                    if (!other.equals(holder) && goneFromThisHost(other)) {
                        free.setString(1, other);
                        freed += free.executeUpdate();
                    }
                }
            }
        }
        return freed;
    }

    /** Whether a holder ({@code pid@host/id}) ran on this host as a process that is no longer there. */
    public boolean goneFromThisHost(String other) {
        int at = other.indexOf('@');
        int slash = other.lastIndexOf('/');
        int ourAt = holder.indexOf('@');
        int ourSlash = holder.lastIndexOf('/');
        if (at <= 0 || slash < at || ourAt <= 0 || ourSlash < ourAt
                || !other.substring(at, slash).equals(holder.substring(ourAt, ourSlash))) {
            return false; // another host's, or a name this cannot read: its lease decides
        }
        try {
            return ProcessHandle.of(Long.parseLong(other.substring(0, at))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Takes the stream's slot for a run of the given kind, clearing that kind's queued flag (this run is the one that
     * was waiting). False when another run holds it.
     */
    public boolean claim(String stream, boolean reconcile) throws SQLException {
        if (unfreed.contains(stream)) {
            // a run of this process ended while the database failed: its slot is held by no run, free it now rather
            // than leave the stream to wait out the lease once the database is back
            release(stream);
        }
        ensure(stream);
        try (Connection c = dataSource.getConnection(); PreparedStatement claim = c.prepareStatement(
                "UPDATE stream_slot SET holder = ?, claims = claims + 1, expires_at = CURRENT_TIMESTAMP + INTERVAL '"
                        + LEASE.toSeconds() + "' SECOND, " + (reconcile ? "queued_reconcile" : "queued_sync") + " = FALSE "
                        + "WHERE stream = ? AND (holder IS NULL OR expires_at < CURRENT_TIMESTAMP)")) {
            claim.setString(1, holder);
            claim.setString(2, stream);
            if (claim.executeUpdate() == 1) {
                held.add(stream);
                return true;
            }
            return false;
        }
    }

    /** How many times the slot was ever taken, by any process: read by its holder, it says who held it between. */
    public long claims(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT claims FROM stream_slot WHERE stream = ?")) {
            select.setString(1, stream);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Who holds the stream's slot now, if anyone. */
    public java.util.Optional<String> holderOf(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT holder FROM stream_slot WHERE stream = ? AND holder IS NOT NULL")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
            }
        }
    }

    /**
     * Queues a run behind the one holding the stream; false when the slot was freed meanwhile (claim it instead).
     */
    public boolean queue(String stream, boolean reconcile) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement queue = c.prepareStatement(
                "UPDATE stream_slot SET " + (reconcile ? "queued_reconcile" : "queued_sync") + " = TRUE "
                        + "WHERE stream = ? AND holder IS NOT NULL AND expires_at >= CURRENT_TIMESTAMP")) {
            queue.setString(1, stream);
            return queue.executeUpdate() == 1;
        }
    }

    /** Frees the stream's slot; what was queued behind the run, for the caller to start. */
    public Queued release(String stream) throws SQLException {
        held.remove(stream);
        try {
            Queued queued = free(stream);
            unfreed.remove(stream);
            return queued;
        } catch (SQLException e) {
            unfreed.add(stream);
            throw e;
        }
    }

    private Queued free(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement read = c.prepareStatement(
                    "SELECT queued_sync, queued_reconcile FROM stream_slot WHERE stream = ? AND holder = ? FOR UPDATE");
                    PreparedStatement free = c.prepareStatement(
                            "UPDATE stream_slot SET holder = NULL, expires_at = NULL WHERE stream = ? AND holder = ?")) {
                read.setString(1, stream);
                read.setString(2, holder);
                Queued queued = new Queued(false, false);
                try (ResultSet rs = read.executeQuery()) {
                    if (rs.next()) {
                        queued = new Queued(rs.getBoolean(1), rs.getBoolean(2));
                    }
                }
                free.setString(1, stream);
                free.setString(2, holder);
                free.executeUpdate();
                c.commit();
                return queued;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void ensure(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement create = c.prepareStatement(
                "INSERT INTO stream_slot (stream, queued_sync, queued_reconcile) SELECT ?, FALSE, FALSE "
                        + "WHERE NOT EXISTS (SELECT 1 FROM stream_slot WHERE stream = ?)")) {
            create.setString(1, stream);
            create.setString(2, stream);
            create.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // another node created it at the same moment
        }
    }

    private void renew() {
        if (held.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement renew = c.prepareStatement(
                "UPDATE stream_slot SET expires_at = CURRENT_TIMESTAMP + INTERVAL '" + LEASE.toSeconds()
                        + "' SECOND WHERE holder = ?")) {
            renew.setString(1, holder);
            renew.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot renew the slots of the runs under way: {}", e.getMessage());
        }
    }

    /** The process stops: it renews nothing more, and the slots it still holds are free for the others. */
    @Override
    public void close() {
        renewer.shutdownNow();
        if (held.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement free = c.prepareStatement(
                "UPDATE stream_slot SET holder = NULL, expires_at = NULL WHERE holder = ?")) {
            free.setString(1, holder);
            free.executeUpdate();
            held.clear();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot free the slots of the runs under way as the service stops: {} (they free themselves "
                    + "within {})", e.getMessage(), LEASE);
        }
    }
}

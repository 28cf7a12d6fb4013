package io.lmssync.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slots a run holds while under way: its stream's ({@link StreamSlots}: one run of a stream at a time, across
 * nodes) and, for a run that calls the source, its account's ({@link AccountSlots}: one session at a time, when the
 * account allows no more). Here a run that meets a busy stream is queued behind the run under way, refused, or (a
 * process that runs one pass) waits for it.
 */
final class RunSlots {

    /** SyncRuns' lines, as they were before this part left it: an operator's log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final StreamSlots slots;
    private final AccountSlots accounts;
    /** Whether this process runs one pass and exits ({@code --once}): a busy stream is then waited for. */
    private final boolean runOnce;
    /** The account slot each stream's run under way holds, by stream (a stream has one run at a time). */
    private final Map<String, String> accountHeld = new ConcurrentHashMap<>();

    RunSlots(StreamSlots slots, AccountSlots accounts, boolean runOnce) {
        this.slots = slots;
        this.accounts = accounts;
        this.runOnce = runOnce;
    }

    /**
     * Takes the stream's slot for the run; false when the run does not go ahead: an operator's action meeting a busy
     * stream (the operator asks again), a scheduled run queued behind the run under way, or a stop while waiting.
     * A process that exits after its pass waits for the run under way, then runs its own.
     */
    boolean claim(String stream, SyncRun.Mode mode) throws SQLException {
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
            LockSupport.parkNanos(LOOK_EVERY.toNanos());
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
    boolean holdAccount(String stream, String account) throws SQLException {
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

    /** Frees the account slot the stream's run holds, if it holds one, then the stream's; what was queued behind. */
    StreamSlots.Queued release(String stream) throws SQLException {
        String accountSlot = accountHeld.remove(stream);
        if (accountSlot != null) {
            accounts.release(accountSlot);
        }
        return slots.release(stream);
    }

    /**
     * Frees the slots of a run that ended. A database that fails here leaves the stream's slot to this process's
     * next run of it, or to its lease; nothing queued is started meanwhile.
     */
    StreamSlots.Queued releaseEnded(String stream) {
        try {
            return release(stream);
        } catch (SQLException e) {
            LOG.warn("cannot free the slot of {}: {} (freed at its next run here, or by itself within {})",
                    stream, e.getMessage(), StreamSlots.LEASE);
            return new StreamSlots.Queued(false, false);
        }
    }
}

package io.lmssync.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time of a vendor account that allows one session per credentials ({@code <account>.one-run-at-a-time}:
 * Absorb, where a new {@code /authenticate} revokes the token before it), across threads and the nodes of a cluster:
 * any run of the account's streams that calls the vendor holds the slot {@code account:<account>} of
 * {@link StreamSlots}, and a second one waits for it. So a reconciliation on one node and an incremental run on
 * another never hold two tokens at once. A run waits only while holding its stream's slot, and the holder of an
 * account slot never waits for anything: no two runs can wait for each other. A run that takes the slot after
 * another process held it drops the account's cached token first ({@code sessionLost}): that process's login revoked
 * it, and a call with it would be refused.
 */
public final class AccountSlots {

    private static final Logger LOG = LoggerFactory.getLogger(AccountSlots.class);
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final StreamSlots slots;
    private final Set<String> oneRunAtATime;
    private final Consumer<String> sessionLost;
    /** Per slot, its claim count when this process last took it. */
    private final Map<String, Long> lastClaims = new ConcurrentHashMap<>();

    /**
     * @param oneRunAtATime the accounts whose runs never overlap
     * @param sessionLost   drops an account's cached token, given the account
     */
    public AccountSlots(StreamSlots slots, Set<String> oneRunAtATime, Consumer<String> sessionLost) {
        this.slots = slots;
        this.oneRunAtATime = Set.copyOf(oneRunAtATime);
        this.sessionLost = sessionLost;
    }

    /** The slot a run of the account must hold, or null when the account's runs may overlap. */
    public String slotOf(String account) {
        return oneRunAtATime.contains(account) ? "account:" + account : null;
    }

    /** Blocks until the slot is held (by this run of the stream). */
    public void hold(String slot, String stream) throws SQLException, InterruptedException {
        boolean said = false;
        while (!slots.claim(slot, false)) {
            if (!said) {
                // marks the slot as waited for (stream_slot.queued_sync), for an operator looking at the table
                slots.queue(slot, false);
                LOG.info("{} waits for the run of another stream of the same account to end ({}: one run at a time, "
                        + "it allows one session)", stream, slot);
                said = true;
            }
            LockSupport.parkNanos(LOOK_EVERY.toNanos());
            if (Thread.interrupted()) {
                throw new InterruptedException(stream + " stopped while waiting for " + slot);
            }
        }
        long claims = slots.claims(slot);
        Long last = lastClaims.put(slot, claims);
        if (last == null || claims != last + 1) {
            // another process held the account since this one did: its login ended this one's session
            sessionLost.accept(slot.substring("account:".length()));
        }
    }

    public void release(String slot) throws SQLException {
        slots.release(slot);
    }
}

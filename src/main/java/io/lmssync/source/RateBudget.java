package io.lmssync.source;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vendor account's request budget, the same on every node (kept in the database): a request waits for a place in
 * the account's {@link BudgetWindow} ({@code <account>.requests-per-minute} per {@code .rate-period-ms}, in a sliding
 * window), what the vendor says it counted steers it ({@link OtherClients}), and after a 429 every call of the account
 * waits ({@link AccountPause}, {@link RefusalBackoff}). The refused request is then sent again, never dropped.
 */
public final class RateBudget {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudget.class);

    private final String account;
    private final int perPeriod;
    private final Duration period;
    private final AccountPause pause;
    private final BudgetWindow window;
    private final OtherClients others;
    private final String countHeader;
    private final RefusalBackoff backoff;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private volatile long vendorCount = -1;

    /**
     * @param perPeriod   the account's budget, 0 when it has none (its calls then only wait out a 429)
     * @param inFlight    the longest a request may go unanswered (connect plus response timeout)
     * @param countHeader the answer header in which the vendor says how many requests it counted in its window, or
     *                    null when it says nothing
     */
    public RateBudget(DataSource dataSource, String account, int perPeriod, Duration period, Duration inFlight,
            String countHeader, Duration initialBackoff, Duration maxBackoff, Clock clock) throws SQLException {
        this.account = account;
        this.perPeriod = perPeriod;
        this.period = period;
        this.countHeader = countHeader;
        this.pause = new AccountPause(dataSource, account);
        this.window = perPeriod > 0 ? new BudgetWindow(dataSource, account, perPeriod, period, pause, inFlight) : null;
        this.others = perPeriod > 0 && countHeader != null ? new OtherClients(dataSource, account, perPeriod, period)
                : null;
        this.backoff = new RefusalBackoff(account, initialBackoff, maxBackoff, clock);
    }

    /** The account's rows (its pause, its window's places), made at start-up once the schema is there. */
    public void ensure() throws SQLException {
        pause.ensure();
        if (window != null) {
            window.ensure();
        }
    }

    public String account() {
        return account;
    }

    public int perPeriod() {
        return perPeriod;
    }

    public Duration period() {
        return period;
    }

    /** The header the vendor's count comes in; null when the vendor sends none. */
    public String countHeader() {
        return countHeader;
    }

    /**
     * Blocks while the account is paused or its window full; then the request may go, holding the returned place
     * (null for an account without a budget) until {@link #answered}.
     */
    public BudgetPlace awaitTurn() throws SQLException, InterruptedException {
        BudgetPlace place;
        if (window != null) {
            place = window.take();
        } else {
            pause.await();
            place = null;
        }
        requests.incrementAndGet();
        return place;
    }

    /** A place taken without waiting, or null when the window is full or the account paused. */
    BudgetPlace tryTurn() throws SQLException {
        BudgetPlace place = window.tryTake();
        if (place != null) {
            requests.incrementAndGet();
        }
        return place;
    }

    /**
     * The call ended: answered by the vendor (whatever the status), or failed. Its place frees a period from now; the
     * vendor's own count, when it sent one, steers the window.
     */
    public void answered(BudgetPlace place, Long counted) throws SQLException {
        if (place == null) {
            return;
        }
        window.answered(place);
        if (counted != null) {
            vendorCount = counted;
            if (others != null) {
                int held = others.counted(place, counted);
                if (held > 0) {
                    LOG.debug("{} counted {} requests in its window: {} place(s) held for its other clients", account,
                            counted, held);
                }
            }
        }
    }

    /** The vendor answered (not 429): the backoff starts from the beginning again. */
    public void accepted() {
        backoff.reset();
    }

    /** The vendor answered 429: every call of the account, on every node, waits. */
    public Duration refused(String retryAfter) throws SQLException {
        rateLimited.incrementAndGet();
        Duration wait = backoff.next(retryAfter);
        pause.pause(wait);
        LOG.warn("{} answered 429 (too many requests, {} in a row): every {} call waits {} s{}", account,
                backoff.refusedInARow(), account, wait.toMillis() / 1000.0,
                retryAfter == null ? "" : " (Retry-After: " + retryAfter.trim() + ")");
        return wait;
    }

    /** Until when every call waits after a 429, by the database's clock. */
    public Instant pausedUntil() throws SQLException {
        return pause.pausedUntil();
    }

    /** How long the pause after a 429 still lasts; zero or negative when the account is not paused. */
    public Duration pausedFor() throws SQLException {
        return pause.remaining();
    }

    /** lms-sync's requests (all nodes') in the account's window now; 0 without a budget. */
    public int requestsInWindow() throws SQLException {
        return window == null ? 0 : window.requestsInWindow();
    }

    /** Places held for the requests the vendor counted from other clients of the account. */
    public int otherClientsInWindow() throws SQLException {
        return window == null ? 0 : window.otherClientsInWindow();
    }

    /** What the vendor last said it counted in its window; -1 before it said anything. */
    public long vendorCount() {
        return vendorCount;
    }

    /** Requests this node sent. */
    public long requests() {
        return requests.get();
    }

    /** 429s this node received. */
    public long rateLimited() {
        return rateLimited.get();
    }
}

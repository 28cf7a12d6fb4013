package io.lmssync.vendor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vendor account's request budget. The throttle EIP in the account's gateway route keeps the pace
 * ({@code <vendor>.requests-per-minute}); this holds what the throttle cannot: after a 429 every call of the account
 * waits, for {@code Retry-After} when the vendor sends it, otherwise for an exponential backoff between the
 * configured bounds. The refused request is then sent again, never dropped.
 */
public final class RateBudget {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudget.class);

    private final String account;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private Instant pausedUntil = Instant.EPOCH;
    private int refusedInARow;
    private final int perPeriod;
    private final Duration period;
    private long periodIndex = -1;
    private long inPeriod;
    private final SharedBudget shared;

    public RateBudget(String account, Duration initialBackoff, Duration maxBackoff, Clock clock) {
        this(account, initialBackoff, maxBackoff, clock, 0, Duration.ofMinutes(1), null);
    }

    /**
     * @param perPeriod the account's budget (its throttle's requests per period), 0 when it has none; the throttle EIP
     *                  in the account's gateway route keeps it on each node
     * @param shared    in a cluster, the budget all nodes share (null on a single node)
     */
    public RateBudget(String account, Duration initialBackoff, Duration maxBackoff, Clock clock, int perPeriod,
            Duration period, SharedBudget shared) {
        this.shared = shared;
        this.account = account;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.perPeriod = perPeriod;
        this.period = period;
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

    /** Requests sent in the current period (periods counted from the epoch, as the throttle's are not). */
    public synchronized long requestsInCurrentPeriod() {
        return currentPeriod() == periodIndex ? inPeriod : 0;
    }

    private long currentPeriod() {
        return clock.millis() / Math.max(1, period.toMillis());
    }

    /** Blocks while the account is paused; then the request may go. */
    public void awaitTurn() {
        Duration wait;
        while (!(wait = Duration.between(clock.instant(), pausedUntil())).isNegative() && !wait.isZero()) {
            LockSupport.parkNanos(Math.min(wait.toNanos(), TimeUnit.SECONDS.toNanos(1)));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        if (shared != null && perPeriod > 0) {
            shared.take(account, perPeriod, period);
        }
        requests.incrementAndGet();
        synchronized (this) {
            long now = currentPeriod();
            if (now != periodIndex) {
                periodIndex = now;
                inPeriod = 0;
            }
            inPeriod++;
        }
    }

    /** The vendor answered: the backoff starts from the beginning again. */
    public synchronized void answered() {
        refusedInARow = 0;
    }

    /** The vendor answered 429: pause every call of the account. */
    public synchronized Duration refused(String retryAfter) {
        rateLimited.incrementAndGet();
        refusedInARow++;
        Duration pause = parseRetryAfter(retryAfter);
        if (pause == null) {
            long factor = 1L << Math.min(refusedInARow - 1, 20);
            pause = initialBackoff.multipliedBy(factor);
            if (pause.compareTo(maxBackoff) > 0) {
                pause = maxBackoff;
            }
        }
        Instant until = clock.instant().plus(pause);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
        LOG.warn("{} answered 429 (too many requests, {} in a row): every {} call waits {} s{}", account,
                refusedInARow, account, pause.toMillis() / 1000.0,
                retryAfter == null ? "" : " as its Retry-After says");
        return pause;
    }

    public synchronized Instant pausedUntil() {
        return pausedUntil;
    }

    public long requests() {
        return requests.get();
    }

    public long rateLimited() {
        return rateLimited.get();
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                LOG.debug("{} sent an unreadable Retry-After '{}'; backing off instead", account, v);
                return null;
            }
        }
    }
}

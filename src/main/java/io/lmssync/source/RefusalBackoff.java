package io.lmssync.source;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a 429 pauses an account: {@code Retry-After} when the vendor sends one, otherwise a backoff doubling from
 * {@code sync.rate-limit.initial-backoff}; never longer than {@code sync.rate-limit.max-backoff}, so that a vendor
 * answering {@code Retry-After: 86400} does not park the account for a day (the cut is logged).
 */
final class RefusalBackoff {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalBackoff.class);

    private final String account;
    private final Duration initial;
    private final Duration max;
    private final Clock clock;
    private int refusedInARow;

    RefusalBackoff(String account, Duration initial, Duration max, Clock clock) {
        this.account = account;
        this.initial = initial;
        this.max = max;
        this.clock = clock;
    }

    /** The pause for one more 429 in a row. */
    synchronized Duration next(String retryAfter) {
        refusedInARow++;
        Duration asked = parseRetryAfter(retryAfter);
        Duration pause = asked != null ? asked : initial.multipliedBy(1L << Math.min(refusedInARow - 1, 20));
        if (pause.compareTo(max) > 0) {
            if (asked != null) {
                LOG.warn("{} asked to wait {} s (Retry-After: {}), more than sync.rate-limit.max-backoff: waiting {} s",
                        account, asked.toSeconds(), retryAfter.trim(), max.toMillis() / 1000.0);
            }
            pause = max;
        }
        return pause;
    }

    /** How many 429s came in a row. */
    synchronized int refusedInARow() {
        return refusedInARow;
    }

    /** The vendor answered: the backoff starts from the beginning again. */
    synchronized void reset() {
        refusedInARow = 0;
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

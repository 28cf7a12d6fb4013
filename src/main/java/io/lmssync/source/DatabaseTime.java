package io.lmssync.source;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.locks.LockSupport;

/**
 * Time as the database tells it, for what every node must agree on (budgets, pauses): a node's clock may be off by
 * seconds or hours, the database's is one for all. SQL that works on H2 and PostgreSQL alike.
 */
final class DatabaseTime {

    private DatabaseTime() {
    }

    /** {@code CURRENT_TIMESTAMP} plus the duration, as SQL (a literal: durations come from settings, not input). */
    static String nowPlus(Duration duration) {
        return "CURRENT_TIMESTAMP + INTERVAL '" + BigDecimal.valueOf(duration.toMillis(), 3).toPlainString()
                + "' SECOND";
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** Parks the thread for the duration (at least a millisecond); an interrupt ends the wait with an exception. */
    static void park(Duration duration) throws InterruptedException {
        LockSupport.parkNanos(Math.max(1_000_000L, duration.toNanos()));
        if (Thread.interrupted()) {
            throw new InterruptedException("stopped while waiting for the vendor's budget");
        }
    }
}

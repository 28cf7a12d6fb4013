package io.lmssync.vendor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * A vendor account's budget shared by every node of a cluster ({@code sync.cluster=true}), kept in the
 * {@code rate_budget} table: each request takes one of the account's requests in the current period (periods counted
 * from the epoch, so all nodes agree), or waits for the next period. The throttle EIP in the account's gateway route
 * still paces each node; this caps what all nodes send together, as when Continu's two APIs run on two nodes.
 */
public final class SharedBudget {

    private final DataSource dataSource;
    private final Clock clock;

    public SharedBudget(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The account's row, created by the first node that starts (another may be creating it at the same moment). */
    public void ensure(String account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement create = c.prepareStatement(
                "INSERT INTO rate_budget (account, period, used) VALUES (?, -1, 0)")) {
            create.setString(1, account);
            create.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw new IllegalStateException("cannot set up " + account + "'s shared budget: " + e.getMessage(), e);
            }
            // it exists already
        }
    }

    /** Blocks until the account's budget has a request left in the current period, and takes it. */
    public void take(String account, int perPeriod, Duration period) {
        long periodMillis = Math.max(1, period.toMillis());
        while (!Thread.currentThread().isInterrupted()) {
            long now = clock.millis();
            long current = now / periodMillis;
            if (claim(account, current, perPeriod)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos((current + 1) * periodMillis - now));
        }
    }

    private boolean claim(String account, long period, int perPeriod) {
        try (Connection c = dataSource.getConnection()) {
            // a new period: the first request of it resets the count (on PostgreSQL the row lock re-checks WHERE)
            try (PreparedStatement next = c.prepareStatement(
                    "UPDATE rate_budget SET period = ?, used = 1 WHERE account = ? AND period < ?")) {
                next.setLong(1, period);
                next.setString(2, account);
                next.setLong(3, period);
                if (next.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement take = c.prepareStatement(
                    "UPDATE rate_budget SET used = used + 1 WHERE account = ? AND period = ? AND used < ?")) {
                take.setString(1, account);
                take.setLong(2, period);
                take.setInt(3, perPeriod);
                if (take.executeUpdate() == 1) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take a request of " + account + "'s shared budget: "
                    + e.getMessage(), e);
        }
    }
}

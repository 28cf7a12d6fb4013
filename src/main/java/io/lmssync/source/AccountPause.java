package io.lmssync.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The pause after a 429, kept in the {@code rate_account} table so that every node of a cluster waits, by the
 * database's clock: the account was refused, not the node.
 */
final class AccountPause {

    /** How long a waiting call sleeps between two looks at a pause (another node may lengthen it). */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final String account;

    AccountPause(DataSource dataSource, String account) {
        this.dataSource = dataSource;
        this.account = account;
    }

    /** The account's row, created by the first node that starts (another may be creating it at the same moment). */
    void ensure() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement create = c.prepareStatement(
                "INSERT INTO rate_account (account, paused_until) SELECT ?, CURRENT_TIMESTAMP "
                        + "WHERE NOT EXISTS (SELECT 1 FROM rate_account WHERE account = ?)")) {
            create.setString(1, account);
            create.setString(2, account);
            create.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
        }
    }

    /** Every call of the account, on every node, waits this long from now (a longer pause already set stays). */
    void pause(Duration pause) throws SQLException {
        String until = DatabaseTime.nowPlus(pause);
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE rate_account SET paused_until = " + until + " WHERE account = ? AND paused_until < " + until)) {
            update.setString(1, account);
            update.executeUpdate();
        }
    }

    /** How long the pause lasts from now; zero or negative when the account is not paused. */
    Duration remaining() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT paused_until, CURRENT_TIMESTAMP FROM rate_account WHERE account = ?")) {
            q.setString(1, account);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Duration.between(DatabaseTime.instant(rs, 2), DatabaseTime.instant(rs, 1))
                        : Duration.ZERO;
            }
        }
    }

    /** Until when the account is paused, by the database's clock. */
    Instant pausedUntil() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT paused_until FROM rate_account WHERE account = ?")) {
            q.setString(1, account);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? DatabaseTime.instant(rs, 1) : Instant.EPOCH;
            }
        }
    }

    /** Blocks while the account is paused. */
    void await() throws SQLException, InterruptedException {
        Duration left;
        while (!(left = remaining()).isNegative() && !left.isZero()) {
            DatabaseTime.park(left.compareTo(LOOK_EVERY) < 0 ? left : LOOK_EVERY);
        }
    }
}

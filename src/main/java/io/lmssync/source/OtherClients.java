package io.lmssync.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Steers an account's {@link BudgetWindow} by what the vendor counted: when an answer says the vendor counted more
 * requests in its window than lms-sync had in it (another client uses the same account), places are held for those
 * requests, plus one for the next request the other client sends before lms-sync hears of it again, so that lms-sync
 * slows down before it is refused. Each answer that carries the count renews or shrinks what is held; what no answer
 * renews frees itself after a period.
 */
final class OtherClients {

    private final DataSource dataSource;
    private final String account;
    private final int budget;
    private final Duration period;

    OtherClients(DataSource dataSource, String account, int budget, Duration period) {
        this.dataSource = dataSource;
        this.account = account;
        this.budget = budget;
        this.period = period;
    }

    /**
     * The vendor answered the request of {@code place} and counted {@code counted} requests in its window.
     *
     * @return the places now held for other clients
     */
    int counted(BudgetPlace place, long counted) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int held = steer(c, place, counted);
                c.commit();
                return held;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private int steer(Connection c, BudgetPlace place, long counted) throws SQLException {
        // one node at a time: two answers at once would each hold places for the same requests
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT account FROM rate_account WHERE account = ? FOR UPDATE")) {
            lock.setString(1, account);
            lock.executeQuery().close();
        }
        // lms-sync's requests the vendor may have counted: it counted when this request arrived, after it was sent,
        // over the period before; so every request in flight, and every one answered less than a period before this
        // one was sent (its place frees after this one's send)
        long ours = single(c, "SELECT COUNT(*) FROM rate_window w WHERE w.account = ? AND (w.state = 'sent' OR "
                + "w.state = 'answered' AND w.free_at >= (SELECT s.sent_at FROM rate_window s WHERE s.account = ? "
                + "AND s.place = ?))", place.place());
        long others = counted - ours;
        int target = others <= 0 ? 0 : (int) Math.min(others + 1, budget - 1L);
        List<Integer> held = places(c, "state = 'other' AND free_at > CURRENT_TIMESTAMP");
        try (PreparedStatement free = c.prepareStatement("UPDATE rate_window SET state = 'free', "
                + "free_at = CURRENT_TIMESTAMP WHERE account = ? AND place = ? AND state = 'other'")) {
            for (int p : held.subList(0, Math.max(0, held.size() - target))) {
                free.setString(1, account);
                free.setInt(2, p);
                free.executeUpdate();
            }
        }
        // the other client's requests counted now leave the vendor's window at most a period from now
        try (PreparedStatement renew = c.prepareStatement("UPDATE rate_window SET free_at = "
                + DatabaseTime.nowPlus(period) + " WHERE account = ? AND state = 'other' AND free_at > CURRENT_TIMESTAMP")) {
            renew.setString(1, account);
            renew.executeUpdate();
        }
        int now = Math.min(held.size(), target);
        if (now < target) {
            try (PreparedStatement hold = c.prepareStatement("UPDATE rate_window SET state = 'other', claim = NULL, "
                    + "free_at = " + DatabaseTime.nowPlus(period) + " WHERE account = ? AND place = ? "
                    + "AND free_at <= CURRENT_TIMESTAMP")) {
                for (int p : places(c, "free_at <= CURRENT_TIMESTAMP")) {
                    if (now == target) {
                        break;
                    }
                    hold.setString(1, account);
                    hold.setInt(2, p);
                    now += hold.executeUpdate();
                }
            }
        }
        return now;
    }

    private long single(Connection c, String sql, int place) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, account);
            q.setString(2, account);
            q.setInt(3, place);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Integer> places(Connection c, String condition) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT place FROM rate_window WHERE account = ? AND " + condition + " ORDER BY free_at, place")) {
            q.setString(1, account);
            List<Integer> places = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    places.add(rs.getInt(1));
                }
            }
            return places;
        }
    }
}

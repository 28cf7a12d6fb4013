package io.lmssync.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A vendor account's budget of N requests per period P as the vendor counts it, in a sliding window, shared by every
 * node through the {@code rate_window} table (N rows, "places") and timed by the database's clock.
 * <p>
 * A request takes a free place before it is sent and frees it P after its answer arrived; a request not yet answered
 * keeps its place. So the k-th request goes only when the (k-N)-th was answered at least P ago, and since the vendor
 * counts a request when it arrives, which is between its send and its answer, any span of P at the vendor holds at
 * most N of them, whatever the network's delay and whatever the node's clock. Measuring from the send instead (as the
 * throttle EIP does, or a token bucket) lets a slow request and a fast one land within P: one too many.
 */
final class BudgetWindow {

    /** The most a waiting request sleeps between two looks when every place is in flight. */
    private static final Duration MAX_LOOK_EVERY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final String account;
    private final int budget;
    private final Duration period;
    private final AccountPause pause;
    /** The longest a request may go unanswered (connect plus response timeout): then its place counts as answered. */
    private final Duration inFlight;
    private final Duration lookEvery;
    private final String holder = UUID.randomUUID().toString();
    private final AtomicLong claims = new AtomicLong();

    BudgetWindow(DataSource dataSource, String account, int budget, Duration period, AccountPause pause,
            Duration inFlight) {
        this.dataSource = dataSource;
        this.account = account;
        this.budget = budget;
        this.period = period;
        this.pause = pause;
        this.inFlight = inFlight;
        Duration perRequest = period.dividedBy(budget);
        this.lookEvery = perRequest.compareTo(MAX_LOOK_EVERY) > 0 ? MAX_LOOK_EVERY : perRequest;
    }

    /** The account's N places, as many as its budget says (every node must be configured alike). */
    void ensure() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement create = c.prepareStatement("INSERT INTO rate_window (account, place, state, "
                        + "free_at) SELECT ?, ?, 'free', CURRENT_TIMESTAMP "
                        + "WHERE NOT EXISTS (SELECT 1 FROM rate_window WHERE account = ? AND place = ?)");
                PreparedStatement surplus = c.prepareStatement(
                        "DELETE FROM rate_window WHERE account = ? AND place >= ?")) {
            for (int place = 0; place < budget; place++) {
                create.setString(1, account);
                create.setInt(2, place);
                create.setString(3, account);
                create.setInt(4, place);
                try {
                    create.executeUpdate();
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                        throw e;
                    }
                    // another node created it at the same moment
                }
            }
            surplus.setString(1, account);
            surplus.setInt(2, budget);
            surplus.executeUpdate();
        }
    }

    /** Blocks until a place is free and the account not paused, and takes it for one request. */
    BudgetPlace take() throws SQLException, InterruptedException {
        while (true) {
            Duration paused = pause.remaining();
            if (!paused.isNegative() && !paused.isZero()) {
                DatabaseTime.park(paused.compareTo(lookEvery) < 0 ? paused : lookEvery);
                continue;
            }
            Look look = look();
            BudgetPlace taken = claimOne(look);
            if (taken != null) {
                return taken;
            }
            if (look.free().isEmpty()) {
                DatabaseTime.park(look.wait(lookEvery));
            }
            // else another request took the free places first: look again at once
        }
    }

    /** A free place taken at once, or null when there is none (or the account is paused). */
    BudgetPlace tryTake() throws SQLException {
        return claimOne(look());
    }

    private BudgetPlace claimOne(Look look) throws SQLException {
        for (int place : look.free()) {
            BudgetPlace taken = claim(place);
            if (taken != null) {
                return taken;
            }
        }
        return null;
    }

    /** The request was answered (or failed): its place is free again one period from now. */
    void answered(BudgetPlace place) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement free = c.prepareStatement(
                "UPDATE rate_window SET state = 'answered', claim = NULL, free_at = " + DatabaseTime.nowPlus(period)
                        + " WHERE account = ? AND place = ? AND claim = ?")) {
            free.setString(1, account);
            free.setInt(2, place.place());
            free.setString(3, place.claim());
            free.executeUpdate(); // 0 rows: it went unanswered past its lease and counted as answered then
        }
    }

    /** lms-sync's requests (every node's) in the window now: in flight, or answered less than a period ago. */
    int requestsInWindow() throws SQLException {
        return count("state IN ('sent', 'answered')");
    }

    /** Places held for the requests of other clients of the account. */
    int otherClientsInWindow() throws SQLException {
        return count("state = 'other'");
    }

    private int count(String condition) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT COUNT(*) FROM rate_window WHERE account = ? AND free_at > CURRENT_TIMESTAMP AND " + condition)) {
            q.setString(1, account);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private BudgetPlace claim(int place) throws SQLException {
        String claim = holder + "-" + claims.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement take = c.prepareStatement(
                "UPDATE rate_window SET state = 'sent', claim = ?, sent_at = CURRENT_TIMESTAMP, free_at = "
                        + DatabaseTime.nowPlus(inFlight.plus(period))
                        + " WHERE account = ? AND place = ? AND free_at <= CURRENT_TIMESTAMP AND NOT EXISTS ("
                        + "SELECT 1 FROM rate_account WHERE account = ? AND paused_until > CURRENT_TIMESTAMP)")) {
            take.setString(1, claim);
            take.setString(2, account);
            take.setInt(3, place);
            take.setString(4, account);
            return take.executeUpdate() == 1 ? new BudgetPlace(account, place, claim) : null;
        }
    }

    /** The places free now (earliest freed first), and when the next one frees. */
    private record Look(List<Integer> free, Instant now, Instant next) {

        /** How long to wait for the next place: exact when it is answered, else a short while (it may be soon). */
        Duration wait(Duration lookEvery) {
            if (next == null) {
                return lookEvery;
            }
            Duration until = Duration.between(now, next);
            return until.compareTo(lookEvery) < 0 ? until : lookEvery;
        }
    }

    private Look look() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT place, state, free_at, CURRENT_TIMESTAMP FROM rate_window WHERE account = ? "
                        + "ORDER BY free_at, place")) {
            q.setString(1, account);
            List<Integer> free = new ArrayList<>();
            Instant now = null;
            Instant next = null;
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Instant freeAt = DatabaseTime.instant(rs, 3);
                    now = DatabaseTime.instant(rs, 4);
                    if (!freeAt.isAfter(now)) {
                        free.add(rs.getInt(1));
                    } else if (next == null && !"sent".equals(rs.getString(2))) {
                        next = freeAt; // a request in flight frees its place a period after an answer still to come
                    }
                }
            }
            return new Look(free, now, next);
        }
    }
}

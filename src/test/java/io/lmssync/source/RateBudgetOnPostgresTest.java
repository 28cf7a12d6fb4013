package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One vendor account's budget between two nodes on a real PostgreSQL, as lms-sync's migrations make it: the window
 * and the pause after a 429 are the database's, timed by its clock, whatever the nodes' clocks say.
 */
class RateBudgetOnPostgresTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private HikariDataSource dataSource;

    @BeforeEach
    void migrate() throws Exception {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(TestPostgres.newDatabase());
        dataSource.setUsername("postgres");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    /** A node's view of the Continu account: 3 requests an hour, its clock as given. */
    private RateBudget node(Clock clock) throws Exception {
        RateBudget budget = new RateBudget(dataSource, "continu", 3, HOUR, Duration.ofMinutes(5), null,
                Duration.ofSeconds(30), Duration.ofSeconds(300), clock);
        budget.ensure();
        return budget;
    }

    @Test
    void aRefusalOnOneNodePausesTheAccountOnEveryNode() throws Exception {
        RateBudget a = node(Clock.systemUTC());
        RateBudget b = node(Clock.systemUTC());

        a.refused("60");

        assertThat(b.pausedFor()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
        assertThat(b.pausedUntil()).isEqualTo(a.pausedUntil());
        assertThat(b.tryTurn()).as("no request goes while paused").isNull();
    }

    @Test
    void aRetryAfterOfADayPausesTheAccountForTheMaximumBackoffOnly() throws Exception {
        RateBudget a = node(Clock.systemUTC());

        a.refused("86400");

        assertThat(node(Clock.systemUTC()).pausedFor()).isBetween(Duration.ofSeconds(290), Duration.ofSeconds(300));
    }

    @Test
    void aShorterPauseNeverCutsALongerOneShort() throws Exception {
        RateBudget a = node(Clock.systemUTC());
        RateBudget b = node(Clock.systemUTC());

        a.refused("120");
        b.refused("5");

        assertThat(a.pausedFor()).isGreaterThan(Duration.ofSeconds(100));
    }

    @Test
    void nodesWhoseClocksAreAnHourApartShareOneWindowAndARequestHoldsItsPlaceUntilAnswered() throws Exception {
        RateBudget fast = node(Clock.offset(Clock.systemUTC(), HOUR));
        RateBudget right = node(Clock.systemUTC());

        BudgetPlace first = fast.tryTurn();
        fast.answered(first, null);
        assertThat(right.tryTurn()).isNotNull();
        BudgetPlace third = fast.tryTurn();
        assertThat(third).as("three a period").isNotNull();

        assertThat(right.tryTurn()).as("the window is full for every node").isNull();
        assertThat(fast.tryTurn()).isNull();
        assertThat(right.requestsInWindow()).isEqualTo(3);

        fast.answered(third, null);
        assertThat(right.tryTurn()).as("an answered request keeps its place for a period after its answer").isNull();
    }
}

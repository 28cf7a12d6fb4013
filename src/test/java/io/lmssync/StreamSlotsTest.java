package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.sync.AccountSlots;
import io.lmssync.sync.StreamSlots;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of a stream at a time across nodes: two holders (two nodes) on one database, as lms-sync's migrations
 * make it. A run that meets a busy stream is queued behind it, once, and handed to the holder when it ends; a dead
 * holder's slot frees itself. On H2 here.
 */
class StreamSlotsTest {

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private StreamSlots nodeA;
    private StreamSlots nodeB;

    String jdbcUrl() throws Exception {
        return new TestService(dir).jdbcUrl();
    }

    @BeforeEach
    void migrate() throws Exception {
        TestService service = new TestService(dir)
                .with("sync.jdbc.url", jdbcUrl());
        if (jdbcUrl().startsWith("jdbc:postgresql")) {
            service.with("sync.jdbc.username", "postgres");
        }
        try (LmsSync migrated = service.service(true).start()) {
            // Flyway made the tables
        }
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(service.settings.get("sync.jdbc.url"));
        dataSource.setUsername(service.settings.get("sync.jdbc.username"));
        nodeA = new StreamSlots(dataSource, "node-a");
        nodeB = new StreamSlots(dataSource, "node-b");
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        dataSource.close();
    }

    @Test
    void aRunMeetingABusyStreamOnAnotherNodeIsQueuedOnceAndHandedOverWhenTheRunEnds() throws Exception {
        assertThat(nodeA.claim("continu-tracks", false)).isTrue();
        assertThat(nodeB.claim("continu-tracks", true)).as("busy on node A").isFalse();
        assertThat(nodeB.queue("continu-tracks", true)).isTrue();
        assertThat(nodeB.queue("continu-tracks", true)).as("asked twice, queued once").isTrue();
        assertThat(nodeB.claim("continu-workshops", false)).as("another stream is free").isTrue();

        StreamSlots.Queued queued = nodeA.release("continu-tracks");

        assertThat(queued).isEqualTo(new StreamSlots.Queued(false, true));
        assertThat(nodeA.claim("continu-tracks", true)).as("the queued reconciliation starts").isTrue();
        assertThat(nodeA.release("continu-tracks")).as("and is no longer queued")
                .isEqualTo(new StreamSlots.Queued(false, false));
    }

    @Test
    void aQueueRequestAfterTheSlotWasFreedIsRefusedSoTheCallerClaimsInstead() throws Exception {
        assertThat(nodeA.claim("moocit-course-completions", false)).isTrue();
        nodeA.release("moocit-course-completions");

        assertThat(nodeB.queue("moocit-course-completions", false)).isFalse();
        assertThat(nodeB.claim("moocit-course-completions", false)).isTrue();
    }

    @Test
    void theSlotOfANodeThatStoppedRenewingIsFreeOnceItsLeaseRanOut() throws Exception {
        assertThat(nodeA.claim("absorb-course-enrollments", false)).isTrue();
        assertThat(nodeB.claim("absorb-course-enrollments", false)).isFalse();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE stream_slot SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' SECOND");
        }

        assertThat(nodeB.claim("absorb-course-enrollments", false)).isTrue();
        assertThat(nodeA.release("absorb-course-enrollments")).as("node A no longer holds it")
                .isEqualTo(new StreamSlots.Queued(false, false));
        assertThat(nodeA.claim("absorb-course-enrollments", false)).as("node B does").isFalse();
    }

    @Test
    void aProcessTakingAnAccountAnotherProcessHeldSinceDropsItsTokenAndOneThatKeptItDoesNot() throws Exception {
        List<String> lostOnA = new ArrayList<>();
        List<String> lostOnB = new ArrayList<>();
        AccountSlots accountsA = new AccountSlots(nodeA, Set.of("absorb"), lostOnA::add);
        AccountSlots accountsB = new AccountSlots(nodeB, Set.of("absorb"), lostOnB::add);
        String slot = accountsA.slotOf("absorb");

        accountsA.hold(slot, "absorb-course-enrollments");
        accountsA.release(slot);
        accountsA.hold(slot, "absorb-lesson-enrollments");
        assertThat(lostOnA).as("A's first hold (nothing known), then its own again").containsExactly("absorb");
        accountsA.release(slot);

        accountsB.hold(slot, "absorb-course-enrollments");
        accountsB.release(slot);
        accountsA.hold(slot, "absorb-course-attempts");
        assertThat(lostOnA).as("B logged in between: A's token is revoked").containsExactly("absorb", "absorb");
        assertThat(lostOnB).containsExactly("absorb");
        accountsA.release(slot);
    }
}

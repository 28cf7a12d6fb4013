package io.lmssync;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Absorb allows one token per API user (a new /authenticate revokes the one before): two nodes of a cluster on one
 * real PostgreSQL, one reading course enrollments while the other starts on lesson enrollments of the same account,
 * never use two tokens at once; the second waits for the first.
 */
class AbsorbOneSessionOnPostgresTest {

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension wiremock = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @TempDir
    Path dir;

    private TestService node(String name, String database, Instant now) throws Exception {
        Files.createDirectories(dir.resolve(name));
        return AbsorbSimulator.readBy(new TestService(dir.resolve(name)), wiremock.baseUrl(), now)
                .with("sync.jdbc.url", database).with("sync.jdbc.username", "postgres").with("sync.jdbc.password", "")
                .with("sync.cluster", "true")
                .with("camel.main.name", name) // one JVM: two Quartz schedulers, not one shared by name
                .with("absorb.lesson-enrollments", "true");
    }

    @Test
    void aRunOfAnotherStreamOfTheAccountOnAnotherNodeWaitsSoNoTokenIsRevokedInUse() throws Exception {
        Instant now = Instant.now();
        absorb.enroll("c1", 30, now.minus(1, ChronoUnit.DAYS));
        absorb.lessonsPerEnrollment = 2;
        String database = TestPostgres.newDatabase();
        TestService courses = node("node-a", database, now);
        TestService lessons = node("node-b", database, now);
        CompletableFuture<Integer>[] second = new CompletableFuture[1];
        // while node A's first page is being served, node B starts, and A goes on once B authenticated (what a
        // second session does) or waits for the account (what it must do)
        absorb.beforePage.put(1, () -> {
            second[0] = CompletableFuture.supplyAsync(() -> runOnce(lessons));
            await().atMost(Duration.ofSeconds(60)).until(() -> absorb.authentications.get() >= 2
                    || courses.count("SELECT COUNT(*) FROM stream_slot WHERE stream = 'account:absorb' "
                            + "AND queued_sync") > 0);
        });

        assertThat(runOnce(courses)).isEqualTo(RunOnce.OK);
        await().atMost(Duration.ofSeconds(60)).until(() -> second[0] != null);
        assertThat(second[0].get()).isEqualTo(RunOnce.OK);

        assertThat(absorb.tokensRefused.get()).as("calls made with a token another node's /authenticate revoked")
                .isZero();
        assertThat(courses.count("SELECT COUNT(*) FROM learning_record WHERE record_type = 'course_enrollment'"))
                .isEqualTo(30);
        assertThat(courses.count("SELECT COUNT(*) FROM learning_record WHERE record_type = 'lesson_enrollment'"))
                .as("each course enrollment's lessons, read once").isEqualTo(60);
    }

    private static int runOnce(TestService node) {
        try {
            return node.runOnce();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

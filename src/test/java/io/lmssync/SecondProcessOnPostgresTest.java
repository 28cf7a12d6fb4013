package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second lms-sync on the same PostgreSQL database while a first one syncs (a cron {@code --apply-held} or
 * {@code --once} beside the service, the old node of a rolling deploy): its start-up leaves the live run, its slot
 * and its staged files alone, and it does not run the busy stream a second time; the live run ends with every record
 * once, in the table and in the files, from one request to the vendor. (A second {@code --once} waits for the live
 * run and then runs its own: {@code AbsorbOneSessionOnPostgresTest}.)
 */
class SecondProcessOnPostgresTest {

    private static final int RECORDS = 100_000;
    private static final String PATH = "/api/so2/v1/completion";

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void aSecondProcessStartedDuringALiveRunNeitherAbandonsItNorRunsItsStreamAgain() throws Exception {
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(IntStream.range(0, RECORDS)
                .mapToObj(i -> "{\"username\":\"u" + i + "\",\"email\":\"u" + i + "@example.com\",\"course_id\":"
                        + "\"course-v1:A\",\"completion\":\"0.5\"}")
                .collect(Collectors.joining(",", "[", "]")))));
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).onPostgres().with("sync.chunk-size", "500");

        try (LmsSync live = service.service(true).start()) {
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(live::runOnce);
            await().atMost(Duration.ofSeconds(60)).until(() -> service.count(
                    "SELECT COUNT(*) FROM learning_record") > 5_000);

            // started while the first one syncs: the busy stream is not theirs to run, or to abandon
            assertThat(service.applyHeld("moocit-course-completions")).as("nothing held: nothing applied or run")
                    .isEqualTo(RunOnce.OK);
            assertThat(service.replay("moocit-course-completions")).as("busy: not run a second time")
                    .isEqualTo(RunOnce.STREAM_FAILED);
            assertThat(service.query("SELECT status FROM sync_run ORDER BY id").get(0))
                    .as("the live run, after two other processes started").containsEntry("status", "running");
            assertThat(run.isDone()).as("the live run still under way when the others ended").isFalse();

            assertThat(run.get()).isEqualTo(RunOnce.OK);
        }
        assertThat(service.query("SELECT status, inserted FROM sync_run ORDER BY id")).hasSize(1).first()
                .satisfies(r -> assertThat(r).containsEntry("status", "succeeded").containsEntry("inserted",
                        (long) RECORDS));
        moocit.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(RECORDS);
        List<String> lines = service.recordLines();
        assertThat(lines).hasSize(RECORDS);
        assertThat(new HashSet<>(lines.stream().map(l -> l.substring(0, l.indexOf(",\"schema_version\""))).toList()))
                .as("each record's line once").hasSize(RECORDS);
        assertThat(service.files()).noneMatch(f -> f.toString().contains(".staging"));
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the H2 database, then space freed: readiness answers 503 while the database takes no writes, every
 * meter reads a number meanwhile, and once space is back the next runNow (the stream's JMX operation, through the
 * real service) succeeds with no restart. The disk is real where the test may mount one: a tmpfs of a few megabytes,
 * filled with a file until the kernel answers "No space left on device"; H2 then fails a write (error 50000) and closes
 * its database (90098 on every statement). Where mounting is impossible (not root, a container that forbids it) that
 * test is skipped and the second one runs the same story on H2's own file-system layer ({@link FullDiskPath}), whose
 * writes fail with the same IOException once the space it was given is spent: H2 fails the same way.
 */
class DatabaseRecoveryTest {

    private static final String STREAM = "lms-sync:type=stream,source=moocit,name=course-completions";

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    /** A disk the test fills and frees. */
    private interface Disk {
        /** Fills it but for {@code bytes}. */
        void fillLeaving(int bytes) throws Exception;

        void free() throws Exception;
    }

    @Test
    void afterARealDiskRanFullTheNextRunSucceedsWithoutARestartAndReadinessWasDownMeanwhile() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", disk.toString()) == 0,
                "mounting a small tmpfs needs root (and a kernel that allows it here)");
        Path filler = disk.resolve("filler");
        try {
            fullDiskThenSpaceAgain("jdbc:h2:file:" + disk.resolve("db"), new Disk() {
                @Override
                public void fillLeaving(int bytes) throws Exception {
                    Path reserve = Files.write(disk.resolve("reserve"), new byte[bytes]);
                    fill(filler);
                    Files.delete(reserve);
                }

                @Override
                public void free() throws Exception {
                    Files.delete(filler);
                }
            });
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    @Test
    void afterH2sFileLayerRanOutOfSpaceTheNextRunSucceedsWithoutARestartAndReadinessWasDownMeanwhile()
            throws Exception {
        FullDiskPath.register();
        try {
            fullDiskThenSpaceAgain("jdbc:h2:" + FullDiskPath.SCHEME + ":" + dir.resolve("db"), new Disk() {
                @Override
                public void fillLeaving(int bytes) {
                    FullDiskPath.leave(bytes);
                }

                @Override
                public void free() {
                    FullDiskPath.free();
                }
            });
        } finally {
            FullDiskPath.free();
        }
    }

    private void fullDiskThenSpaceAgain(String jdbcUrl, Disk disk) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl())
                .with("sync.jdbc.url", jdbcUrl)
                .with("sync.sinks", "jdbc")
                .with("moocit.cron", "0 0 0 1 1 ? 2099")
                .with("camel.main.jmx-enabled", "true")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answer("first", 20))));

        try (LmsSync running = service.service(false).start()) {
            ObjectName stream = new ObjectName(STREAM);
            runNowAndWait(stream, 1);
            assertThat(jmx.getAttribute(stream, "LastRunStatus")).isEqualTo("succeeded");

            // the disk fills while a run writes: half a megabyte left, and the run needs several
            disk.fillLeaving(512 * 1024);
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(answer("second", 600))));
            runNowAndWait(stream, 2);
            assertThat(jmx.getAttribute(stream, "LastRunStatus")).isEqualTo("failed");
            // and now takes no write at all: not even the audit row of an operator's runNow, which is refused
            assertThatThrownBy(() -> jmx.invoke(stream, "runNow", new Object[0], new String[0])).rootCause()
                    .hasMessageContaining("cannot record runNow of moocit-course-completions");

            HttpResponse<String> ready = fetch(port, "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("{\"name\":\"database\",\"status\":\"DOWN\",\"message\":"
                    + "\"the database takes no writes");
            assertNumbersOnly(fetch(port, "/observe/metrics").body());

            disk.free();
            await().atMost(Duration.ofSeconds(30)).until(() -> fetch(port, "/observe/health/ready")
                    .statusCode() == 200);
            runNowAndWait(stream, 3);
            assertThat(jmx.getAttribute(stream, "LastRunStatus")).as("%s", jmx.getAttribute(stream,
                    "LastRunError")).isEqualTo("succeeded");
            assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE learner_username LIKE"
                    + " 'second%'")).isEqualTo(600);
            assertNumbersOnly(fetch(port, "/observe/metrics").body());
        }
    }

    private void runNowAndWait(ObjectName stream, long runs) throws Exception {
        assertThat((String) jmx.invoke(stream, "runNow", new Object[0], new String[0])).contains("started");
        await().atMost(Duration.ofSeconds(60)).until(() -> (Long) jmx.getAttribute(stream, "TotalRuns") == runs);
    }

    /** Every lms_sync_* sample is a number: no NaN while the database is away. */
    private static void assertNumbersOnly(String metrics) {
        assertThat(metrics.lines().filter(line -> line.startsWith("lms_sync_")))
                .isNotEmpty().noneMatch(line -> line.endsWith(" NaN"));
    }

    /** Writes the file until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
        }
    }

    private static String answer(String prefix, int learners) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < learners; i++) {
            rows.add(prefix + i + ",course-v1:A,1");
        }
        return MoocitSyncTest.answer(rows.toArray(String[]::new));
    }

    private HttpResponse<String> fetch(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }
}

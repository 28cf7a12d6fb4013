package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL (kill -9) again and again in the middle of a MOOCit sync into H2, then run once
 * to the end: every record is in the database once, and with the file sink in the files exactly once (H2 writes each
 * commit at once). Without the file sink H2 writes its commits up to 500 ms late, so a kill loses the last ones: the
 * next run repeats them, and the store still ends with each record once, indexed and archived.
 */
class CrashIT {

    private static final int RECORDS = 20_000;
    private static final int KILLS = 5;

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workdir;

    @Test
    void killedFiveTimesMidSyncEveryRecordEndsInTheFilesExactlyOnce() throws Exception {
        // a few more chunks published, then SIGKILL, wherever the process is
        int killed = killedAgainAndAgain("jdbc,file", kill -> files().size() + 3 + kill, () -> files().size());

        Map<String, Integer> lines = new HashMap<>();
        for (Path file : files()) {
            for (String line : Files.readAllLines(file)) {
                lines.merge(line.substring(line.indexOf("\"record_id\":\"") + 13, line.indexOf("\",")), 1,
                        Integer::sum);
            }
        }
        long rows = count("SELECT COUNT(*) FROM learning_record");
        int total = lines.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("CRASH kills=%d records=%d rows=%d file_lines=%d distinct_in_files=%d files=%d%n", killed,
                RECORDS, rows, total, lines.size(), files().size());
        assertThat(killed).as("the process was killed mid-sync").isGreaterThanOrEqualTo(3);
        assertThat(rows).isEqualTo(RECORDS);
        assertThat(lines).hasSize(RECORDS);
        assertThat(lines.entrySet().stream().filter(e -> e.getValue() != 1).limit(5).toList())
                .as("records in the files more than once").isEmpty();
        assertThat(files()).noneMatch(f -> f.toString().contains(".staging"));
    }

    @Test
    void withoutTheFileSinkKilledFiveTimesMidSyncTheStoreEndsWithEachRecordOnce() throws Exception {
        // SIGKILL once H2's file grew by more of the sync (past what a new, migrated database holds), wherever the
        // process is
        Path file = workdir.resolve("data/lms-sync.mv.db");
        int killed = killedAgainAndAgain("jdbc", kill -> Math.max(size(file), 2 << 20) + kill * (256 << 10),
                () -> size(file));

        long rows = count("SELECT COUNT(*) FROM learning_record");
        long indexed = count("SELECT COUNT(*) FROM record_index WHERE is_deleted = FALSE");
        long archived = count("SELECT COUNT(*) FROM raw_object WHERE deleted_at IS NULL");
        long deadLetters = count("SELECT COUNT(*) FROM dead_letter");
        System.out.printf("CRASH jdbc only: kills=%d records=%d rows=%d indexed=%d archived=%d dead_letters=%d%n",
                killed, RECORDS, rows, indexed, archived, deadLetters);
        assertThat(killed).as("the process was killed mid-sync").isGreaterThanOrEqualTo(3);
        assertThat(rows).isEqualTo(RECORDS);
        assertThat(indexed).isEqualTo(RECORDS);
        assertThat(archived).isEqualTo(RECORDS);
        assertThat(deadLetters).isZero();
        assertThat(count("SELECT COUNT(*) FROM learning_record WHERE is_deleted OR progress <> 0.5")).isZero();
    }

    /**
     * Starts the jar {@code --once} KILLS times, each killed when {@code progress} reaches the target set before it
     * started (unless it ended first), then once more to the end, which must succeed. Answers how many were killed.
     */
    private int killedAgainAndAgain(String sinks, IntToLongFunction target,
            LongSupplier progress) throws Exception {
        JarProcess.prepare(workdir);
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(IntStream.range(0, RECORDS)
                .mapToObj(i -> "{\"username\":\"u" + i + "\",\"email\":\"u" + i + "@example.com\","
                        + "\"course_id\":\"course-v1:A\",\"completion\":\"0.5\"}")
                .collect(Collectors.joining(",", "[", "]")))));
        Map<String, String> environment = Map.of("MOOCIT_ENABLED", "true", "MOOCIT_BASE_URL", moocit.baseUrl(),
                "MOOCIT_TOKEN", "crash-it-token-123", "SYNC_CHUNK_SIZE", "100", "SYNC_SINKS", sinks);
        int killed = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            long until = target.applyAsLong(kill);
            Process process = JarProcess.start(workdir, environment, workdir.resolve("kill-" + kill + ".log"),
                    "--once");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !process.isAlive() || progress.getAsLong() >= until);
            if (process.isAlive()) {
                process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally
                killed++;
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Process last = JarProcess.start(workdir, environment, workdir.resolve("last.log"), "--once");
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(workdir.resolve("last.log"))).isZero();
        return killed;
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + workdir.resolve("data/lms-sync"), "sa", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record files the sink made visible. */
    private List<Path> files() {
        Path out = workdir.resolve("data/out/moocit");
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(p -> p.toString().endsWith(".ndjson")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

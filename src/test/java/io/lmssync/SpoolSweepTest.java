package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import io.lmssync.source.SpoolDirectory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Answers spooled by a process that was killed are deleted when the next one starts; a live process's stay. */
class SpoolSweepTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static final String SPOOLED = "spooled: ";

    /** A process that spools an answer and holds it until it is killed: {@code args[0]} is the work directory. */
    public static final class SpoolingProcess {
        public static void main(String[] args) throws Exception {
            SpoolDirectory spool = SpoolDirectory.claim(Path.of(args[0]));
            Path answer = Files.writeString(spool.path().resolve("moocit-course-completions-1.json"), "[{},");
            System.out.println(SPOOLED + answer);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void theServiceSweepsWhatAKilledProcessSpooledAndLeavesNothingOfItsOwnBehind() throws Exception {
        Path work = dir.resolve("work");
        // as lms-sync leaves it when killed mid-answer: a spool folder whose lock nobody holds ...
        Files.createDirectories(work.resolve("spool-dead"));
        Files.writeString(work.resolve("spool-dead.lock"), "");
        Files.writeString(work.resolve("spool-dead/moocit-course-completions-11.json"), "[{\"username\":");
        // ... and, from the version before per-process folders, an answer straight in the work directory
        Files.writeString(work.resolve("continu-assessments-4242.json"), "[");
        Files.writeString(work.resolve("notes.txt"), "not lms-sync's");
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,c1,1"))));

        assertThat(TestService.readingMoocit(dir, moocit.baseUrl()).runOnce()).isEqualTo(RunOnce.OK);

        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void aSpoolIsKeptWhileItsProcessRunsAndSweptOnceItIsKilled() throws Exception {
        Path work = dir.resolve("work");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SpoolingProcess.class.getName(), work.toString())
                .redirectErrorStream(true).start();
        try {
            Path answer;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith(SPOOLED)) {
                    // logback's start-up lines
                }
                assertThat(line).as("the other process's output").isNotNull();
                answer = Path.of(line.substring(SPOOLED.length()));
                assertThat(answer).as("the other process spooled an answer").exists();

                try (SpoolDirectory mine = SpoolDirectory.claim(work)) {
                    assertThat(answer).as("held by a live process").exists();
                    assertThat(mine.path()).exists().isNotEqualTo(answer.getParent());
                }

                other.destroyForcibly(); // kill -9
                assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            try (SpoolDirectory mine = SpoolDirectory.claim(work)) {
                assertThat(answer).doesNotExist();
                assertThat(answer.getParent()).doesNotExist();
                try (Stream<Path> left = Files.list(work)) {
                    assertThat(left).as("only this process's spool and its lock").hasSize(2);
                }
            }
        } finally {
            other.destroyForcibly();
        }
    }
}

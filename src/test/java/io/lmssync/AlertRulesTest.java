package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * alerts/lms-sync.rules.yml is a valid Prometheus rules file ({@code promtool check rules}) and does what
 * alerts/lms-sync.rules.test.yml says ({@code promtool test rules}): among others, a daily report group is not late
 * 21 hours after its success while an hourly stream 3 hours without one is. promtool is Debian's {@code prometheus}
 * package (.ci/run installs it), or $PROMTOOL.
 */
class AlertRulesTest {

    private static final Path ALERTS = Path.of("alerts");

    private static String promtool() {
        String configured = System.getenv("PROMTOOL");
        return configured != null && !configured.isBlank() ? configured : "promtool";
    }

    private static String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(promtool()));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(ALERTS.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("no promtool: install Debian's prometheus package, or set PROMTOOL", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    @Test
    void theRulesArePrometheusRules() throws Exception {
        assertThat(run("check", "rules", "lms-sync.rules.yml")).contains("SUCCESS: 5 rules found");
    }

    @Test
    void theRulesDoWhatTheirTestsSay() throws Exception {
        assertThat(Files.readString(ALERTS.resolve("lms-sync.rules.test.yml"))).contains("rule_files:");
        assertThat(run("test", "rules", "lms-sync.rules.test.yml")).contains("SUCCESS");
    }

    @Test
    void readmePointsAtTheRulesFileRatherThanCopyingIt() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("alerts/lms-sync.rules.yml").doesNotContain("- alert: LmsSyncNoRecentSuccess");
    }
}

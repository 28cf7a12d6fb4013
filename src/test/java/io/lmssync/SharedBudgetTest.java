package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a cluster, one Continu account's budget holds across nodes: one node runs the Open API streams while another runs
 * the Reporting API, at once, against a Continu that counts in a sliding window and allows exactly the configured
 * budget; together they stay within it, by the database's clock.
 */
class SharedBudgetTest {

    private static final int BUDGET = 6;
    private static final long PERIOD_MS = 1000;

    private final ContinuSimulator continu = new ContinuSimulator();

    @RegisterExtension
    final WireMockExtension wiremock = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(continu)).build();

    @TempDir
    Path dir;

    private TestService node(String name, boolean openApi, String database, Path roster, Instant now) throws Exception {
        Files.createDirectories(dir.resolve(name));
        return ContinuSimulator.readBy(new TestService(dir.resolve(name)), wiremock.baseUrl(),
                        now)
                .with("sync.jdbc.url", database).with("sync.jdbc.username", "postgres").with("sync.jdbc.password", "")
                .with("sync.cluster", "true")
                .with("camel.main.name", name) // one JVM: two Quartz schedulers, not one shared by name
                .with("continu.enabled", String.valueOf(openApi))
                .with("continu-reporting.enabled", String.valueOf(!openApi))
                .with("continu.roster-file", roster.toString())
                .with("continu-reporting.base-url", wiremock.baseUrl() + "/reports")
                .with("continu-reporting.token", "reporting-token")
                .with("continu-reporting.start-date", now.minus(100, ChronoUnit.DAYS).toString())
                .with("continu-reporting.window", "P5D")
                .with("continu.requests-per-minute", String.valueOf(BUDGET))
                .with("continu.rate-period-ms", String.valueOf(PERIOD_MS));
    }

    @Test
    void twoNodesCallingOneAccountAtOnceStayWithinItsBudgetTogether() throws Exception {
        Instant now = Instant.now();
        List<String> emails = IntStream.range(0, 10).mapToObj(i -> "learner" + i + "@example.com").toList();
        Path roster = Files.writeString(dir.resolve("roster.csv"), String.join("\n", emails));
        continu.fill(emails, now, 3);
        continu.limit = BUDGET;
        continu.periodMillis = PERIOD_MS;
        String database = TestPostgres.newDatabase();
        TestService openApi = node("node-a", true, database, roster, now);
        TestService reporting = node("node-b", false, database, roster, now);

        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> runOnce(openApi));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> runOnce(reporting));

        assertThat(a.get()).isEqualTo(RunOnce.OK);
        assertThat(b.get()).isEqualTo(RunOnce.OK);
        System.out.printf("SHARED BUDGET %d requests, busiest sliding window %d of %d, 429s %d%n",
                continu.requestTimes.size(), continu.busiestWindow(), BUDGET, continu.rateLimited.get());
        assertThat(continu.requestTimes).as("4 streams x 4 windows, and 20 or 21 reporting windows (a last one of the"
                + " seconds since the test began)").hasSizeBetween(36, 37);
        assertThat(continu.rateLimited.get()).as("the vendor never refused").isZero();
        assertThat(continu.busiestWindow()).isLessThanOrEqualTo(BUDGET);
    }

    private static int runOnce(TestService node) {
        try {
            return node.runOnce();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * How much of Continu's budget a long backfill uses, and how many 429s it earns, against a simulated Continu that
 * counts in a sliding window (any span of the period holds at most N accepted requests) and allows exactly the
 * budget lms-sync is configured with: one node (H2); two nodes in cluster mode on a real PostgreSQL (zonky), one
 * running the Open API's four streams and the other the Reporting API, at once; one node while another client of the
 * account takes a fifth of the budget. Budget use is the shortest span in which such a vendor accepts the run's
 * requests ((ceil(requests / N) - 1) periods) over the span they took: 100% for a client that sends N at the start of
 * every period. Test classpath only:
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.lmssync.ContinuBudgetBenchmark
 * -Dexec.args="50 6000"}.
 */
public final class ContinuBudgetBenchmark {

    private static final int LEARNERS = 100;
    private static final int WINDOWS = 12;

    private ContinuBudgetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int budget = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long period = args.length > 1 ? Long.parseLong(args[1]) : 6000;
        List<String> lines = new ArrayList<>();
        lines.add(run("one node (H2)", budget, period, false, 0));
        lines.add(run("two nodes, cluster (PostgreSQL)", budget, period, true, 0));
        lines.add(run("one node, another client takes " + budget / 5 + " a period", budget, period, false, budget / 5));
        lines.forEach(System.out::println);
    }

    private static String run(String name, int budget, long period, boolean cluster, int others) throws Exception {
        ContinuSimulator continu = new ContinuSimulator();
        continu.limit = budget;
        continu.periodMillis = period;
        continu.othersPerPeriod = others;
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().extensions(continu));
        server.start();
        Path dir = Files.createTempDirectory("lms-sync-budget");
        try {
            Instant now = Instant.now();
            List<String> emails = IntStream.range(0, LEARNERS).mapToObj(i -> "l" + i + "@example.com").toList();
            Path roster = Files.write(dir.resolve("roster.txt"), emails);
            continu.fill(emails, now, 3);
            String database = cluster ? TestPostgres.newDatabase() : null;
            if (cluster) {
                TestService openApi = node(dir, "node-a", server, roster, now, budget, period, database);
                TestService reporting = node(dir, "node-b", server, roster, now, budget, period, database)
                        .with("continu.enabled", "false").with("continu-reporting.enabled", "true");
                CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> runOnce(openApi));
                CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> runOnce(reporting));
                a.get();
                b.get();
            } else {
                runOnce(node(dir, "node-a", server, roster, now, budget, period, null));
            }
            List<Long> times = new ArrayList<>(continu.requestTimes);
            times.sort(Long::compare);
            long span = times.get(times.size() - 1) - times.get(0);
            long shortest = ((times.size() + budget - others - 1) / (budget - others) - 1) * period;
            return String.format(Locale.ROOT, "BENCHMARK %-45s %4d requests in %6.1f s (the budget allows %5.1f s); "
                    + "busiest window %d of %d%s; budget use %.1f%%; 429s %d", name, times.size(), span / 1000.0,
                    shortest / 1000.0, continu.busiestWindow(), budget - others,
                    others > 0 ? " (" + budget + " less the other client's " + others + ")" : "",
                    100.0 * shortest / span, continu.rateLimited.get());
        } finally {
            server.stop();
        }
    }

    /** A node reading the simulated Continu: 12 windows of 30 days, 100 learners in batches of 10. */
    private static TestService node(Path dir, String name, WireMockServer server, Path roster, Instant now, int budget,
            long period, String database) throws Exception {
        Files.createDirectories(dir.resolve(name));
        TestService node = ContinuSimulator.readBy(new TestService(dir.resolve(name)),
                        server.baseUrl(), now)
                .with("sync.sinks", "jdbc")
                .with("sync.chunk-size", "1000")
                .with("continu.roster-file", roster.toString())
                .with("continu.start-date", now.minus(WINDOWS * 30 - 1, ChronoUnit.DAYS).toString())
                .with("continu.requests-per-minute", String.valueOf(budget))
                .with("continu.rate-period-ms", String.valueOf(period))
                .with("continu-reporting.base-url", server.baseUrl() + "/reports")
                .with("continu-reporting.token", "reporting-token")
                .with("continu-reporting.start-date", now.minus(WINDOWS * 30 - 1, ChronoUnit.DAYS).toString())
                .with("continu-reporting.window", "P1D");
        if (database != null) {
            node.with("sync.jdbc.url", database).with("sync.jdbc.username", "postgres").with("sync.jdbc.password", "")
                    .with("sync.cluster", "true").with("camel.main.name", name);
        }
        return node;
    }

    private static int runOnce(TestService node) {
        try {
            return node.runOnce();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

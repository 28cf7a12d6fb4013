package io.lmssync.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lmssync.LmsSync;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * How much of Continu's rate budget a backfill uses: a local Continu that allows N requests per period (counted in
 * fixed periods, 429 past it) and a 12-window backfill of the four Open API streams configured for exactly N per
 * period. Prints the requests per period achieved against N, and the 429s received.
 * <p>
 * {@code java -cp target/lms-sync.jar io.lmssync.demo.ContinuBudgetBenchmark [N, default 50] [period ms, default 2000]}
 */
public final class ContinuBudgetBenchmark {

    private ContinuBudgetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int limit = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long period = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        int learners = 100;
        int batch = 10; // 10 requests a window and stream: 12 x 4 x 10 = 480 requests
        Path dir = Files.createTempDirectory("lms-sync-budget");
        Path roster = dir.resolve("roster.txt");
        Files.write(roster, IntStream.range(0, learners).mapToObj(i -> "l" + i + "@example.com").toList());

        List<Long> arrivals = new CopyOnWriteArrayList<>();
        Map<Long, AtomicInteger> perPeriod = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/oauth2/access-token", exchange -> reply(exchange, 200,
                "{\"access_token\":\"bench\",\"expires_in\":" + (Instant.now().getEpochSecond() + 3600) + "}"));
        server.createContext("/v1/completion/", exchange -> {
            long now = System.currentTimeMillis();
            if (perPeriod.computeIfAbsent(now / period, k -> new AtomicInteger()).incrementAndGet() > limit) {
                refused.incrementAndGet();
                reply(exchange, 429, "{\"message\":\"Too Many Requests\"}");
                return;
            }
            arrivals.add(now);
            reply(exchange, 200, "[]");
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Instant now = Instant.now();
        Map<String, String> settings = Map.ofEntries(
                Map.entry("sync.run-once", "true"),
                Map.entry("sync.sinks", "jdbc"),
                Map.entry("sync.jdbc.url", "jdbc:h2:file:" + dir.resolve("db")),
                Map.entry("sync.work-directory", dir.resolve("work").toString()),
                Map.entry("sync.settle-lag", "PT0S"),
                Map.entry("camel.main.jmx-enabled", "false"),
                Map.entry("continu.enabled", "true"),
                Map.entry("continu.base-url", base + "/v1"),
                Map.entry("continu.token-url", base + "/v3/oauth2/access-token"),
                Map.entry("continu.client-id", "bench"),
                Map.entry("continu.client-secret", "bench-secret"),
                Map.entry("continu.roster-file", roster.toString()),
                Map.entry("continu.roster-batch-size", String.valueOf(batch)),
                Map.entry("continu.requests-per-minute", String.valueOf(limit)),
                Map.entry("continu.rate-period-ms", String.valueOf(period)),
                Map.entry("continu.window", "P30D"),
                Map.entry("continu.start-date", now.minus(12 * 30 - 1, ChronoUnit.DAYS).toString()));
        try (LmsSync service = new LmsSync(Path.of("application.properties"), settings)) {
            service.start();
            int exit = service.runOnce();
            long first = arrivals.get(0);
            double seconds = (arrivals.get(arrivals.size() - 1) - first) / 1000.0;
            // requests in each whole period counted from the first request (the last, partial period left out)
            Map<Long, Long> byPeriod = arrivals.stream().collect(
                    Collectors.groupingBy(t -> (t - first) / period, Collectors.counting()));
            long whole = (arrivals.get(arrivals.size() - 1) - first) / period;
            double mean = java.util.stream.LongStream.range(0, whole).mapToDouble(k -> byPeriod.getOrDefault(k, 0L))
                    .average().orElse(0);
            long least = java.util.stream.LongStream.range(0, whole).map(k -> byPeriod.getOrDefault(k, 0L)).min()
                    .orElse(0);
            int busiest = perPeriod.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
            System.out.printf(Locale.ROOT, "BENCHMARK continu budget: %d requests in %.1f s; per %d ms period: mean "
                    + "%.1f, least %d, most (vendor's count) %d, against a budget of %d (%.1f%% used); 429s received "
                    + "%d; exit %d%n", arrivals.size(), seconds, period, mean, least, busiest, limit,
                    100 * mean / limit, refused.get(), exit);
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}

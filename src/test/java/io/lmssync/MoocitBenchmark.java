package io.lmssync;

import com.sun.net.httpserver.HttpServer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Throughput and memory of a MOOCit sync into H2: serves a generated answer of N records from localhost (written as
 * it is sent, never held whole) and runs two passes, the first inserting everything, the second finding it all
 * unchanged. Prints records per second, the peak heap in use and the heap still live after each pass; run it with a
 * small -Xmx to see that memory does not grow with the number of records.
 * <p>
 * {@code java -Xmx256m -cp target/lms-sync.jar io.lmssync.MoocitBenchmark [records, default 1000000] [key=value ...]}
 * (settings such as {@code sync.jdbc.url=jdbc:postgresql://...} to measure another database)
 */
public final class MoocitBenchmark {

    private static final String TOKEN = "benchmark-token";

    private MoocitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        Path dir = Files.createTempDirectory("lms-sync-benchmark");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/so2/v1/completion", exchange -> {
            try (exchange) {
                if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (Writer out = new BufferedWriter(
                        new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8), 1 << 16)) {
                    writeAnswer(out, records);
                }
            }
        });
        server.start();
        HeapSampler heap = new HeapSampler();
        heap.start();
        try {
            Map<String, String> settings = new LinkedHashMap<>(Map.of(
                    "sync.run-once", "true",
                    "sync.sinks", "jdbc",
                    "sync.jdbc.url", "jdbc:h2:file:" + dir.resolve("benchmark"),
                    "sync.work-directory", dir.resolve("work").toString(),
                    "sync.file.directory", dir.resolve("out").toString(),
                    "camel.main.jmx-enabled", "false",
                    "moocit.enabled", "true",
                    "moocit.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "moocit.token", TOKEN));
            // key=value after the record count: another database or sinks, e.g. sync.jdbc.url=jdbc:postgresql://...
            for (int i = 1; i < args.length; i++) {
                settings.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
            }
            try (LmsSync service = new LmsSync(Path.of("application.properties"), settings)) {
                service.start();
                pass("first pass (all new)", records, service, heap);
                pass("second pass (all unchanged)", records, service, heap);
            }
        } finally {
            heap.interrupt();
            server.stop(0);
            delete(dir);
        }
    }

    private static void pass(String name, long records, LmsSync service, HeapSampler heap) {
        heap.reset();
        long start = System.nanoTime();
        int exit = service.runOnce();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.peakUsed();
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "BENCHMARK %s: %d records in %.1f s = %.0f records/s; heap: peak in use %.0f MB"
                + " (garbage included), live after the pass %.0f MB, max %.0f MB; exit %d%n", name, records, seconds,
                records / seconds, peak / 1048576.0, live / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0,
                exit);
    }

    public static void writeAnswer(Writer out, long records) throws IOException {
        out.write('[');
        for (long i = 0; i < records; i++) {
            if (i > 0) {
                out.write(",\n");
            }
            out.write("{\"username\":\"learner" + i + "\",\"email\":\"learner" + i + "@example.com\","
                    + "\"course_id\":\"course-v1:Bench+" + (i % 50) + "+2026\",\"completion\":\"0."
                    + (i % 100) + "\"}");
        }
        out.write(']');
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Samples the heap in use every 10 ms and keeps the highest value (garbage included). */
    private static final class HeapSampler extends Thread {
        private final java.util.List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        private final AtomicLong peakUsed = new AtomicLong();

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peakUsed.accumulateAndGet(pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void reset() {
            peakUsed.set(0);
        }

        long peakUsed() {
            return peakUsed.get();
        }
    }
}

package io.lmssync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.lmssync.record.Content;
import io.lmssync.record.Json;
import io.lmssync.record.Learner;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.Sha256;
import io.lmssync.sink.LearningRecordRows;
import io.lmssync.sink.ParsedOnceStatements;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * lms-sync against a raw streaming loop on the same generated MOOCit answer, into H2, alternated in one run: the raw
 * loop streams the answer with Jackson, builds each canonical record (its JSON and SHA-256) and MERGEs it in JDBC
 * batches of 1,000, one commit a batch; lms-sync runs {@code --once} with the jdbc sink. Then an unchanged re-sync.
 * Prints both times and their ratio, the CPU seconds, and lms-sync against the raw loop writing the same three rows
 * a record lms-sync writes (its record index's and raw archive's too). The raw loop is benchmark code, not part of
 * the service.
 * <pre>
 * mvn -q -DskipTests package && mvn -q dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test.classpath && mvn -q test-compile && \
 *   java -cp target/test-classes:target/classes:$(cat target/test.classpath) io.lmssync.SpeedBenchmark 300000
 * </pre>
 */
public final class SpeedBenchmark {

    private static final String TOKEN = "speed-benchmark-token";
    private static final String STREAM = "moocit-course-completions";
    private static final Map<String, String> EXTRA = new LinkedHashMap<>();
    /** CPU seconds the JVM spent in the last timed run (every thread: H2's writer, the simulated vendor, GC). */
    private static double lastCpu;

    private SpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 300_000L;
        // settings after N (key=value) apply to lms-sync's runs: sync.raw-archive.enabled=false, say
        for (int i = 1; i < args.length; i++) {
            EXTRA.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        Path dir = Files.createTempDirectory("lms-sync-speed");
        Path answer = dir.resolve("answer.json");
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(answer, StandardCharsets.UTF_8), 1 << 16)) {
            MoocitBenchmark.writeAnswer(out, records);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/so2/v1/completion", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, Files.size(answer));
                Files.copy(answer, exchange.getResponseBody());
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            // warm-up of both (JIT, class loading), not counted
            rawLoop(url, database(dir, "warm-raw"), false);
            lmsSync(url, database(dir, "warm-lms"), dir, false);
            rawLoop(url, database(dir, "warm-rows"), true);
            double raw1 = rawLoop(url, database(dir, "raw1"), false);
            double rawCpu = lastCpu;
            double rows1 = rawLoop(url, database(dir, "rows1"), true);
            double lms1 = lmsSync(url, database(dir, "lms1"), dir, false);
            double lmsCpu = lastCpu;
            double raw2 = rawLoop(url, database(dir, "raw2"), false);
            rawCpu += lastCpu;
            double rows2 = rawLoop(url, database(dir, "rows2"), true);
            String lmsDb = database(dir, "lms2");
            double lms2 = lmsSync(url, lmsDb, dir, false);
            lmsCpu += lastCpu;
            double unchanged = lmsSync(url, lmsDb, dir, true);
            double raw = raw1 + raw2;
            double lms = lms1 + lms2;
            System.out.printf(Locale.ROOT, "SPEED %d records into H2: raw loop %.1f s and %.1f s, lms-sync %.1f s and "
                    + "%.1f s: lms-sync/raw = %.2fx%n", records, raw1, raw2, lms1, lms2, lms / raw);
            System.out.printf(Locale.ROOT, "SPEED unchanged re-sync of %d records: %.1f s = %.2fx the first sync "
                    + "(%.1f s)%n", records, unchanged, unchanged / lms2, lms2);
            // CPU seconds hold still when other work shares the machine, which moves wall-clock times by tens of %
            System.out.printf(Locale.ROOT, "SPEED CPU time of the same runs: raw loop %.1f s, lms-sync %.1f s: "
                    + "lms-sync/raw = %.2fx%n", rawCpu, lmsCpu, lmsCpu / rawCpu);
            // what the record index and the raw archive cost a loop with none of lms-sync's steps: a baseline for
            // the pipeline, apart from the rows its promises write
            System.out.printf(Locale.ROOT, "SPEED raw loop writing the same three rows a record (learning_record, "
                    + "record_index, raw_object) %.1f s and %.1f s: lms-sync/that = %.2fx%n", rows1, rows2,
                    lms / (rows1 + rows2));
        } finally {
            server.stop(0);
        }
    }

    /** A new H2 database with lms-sync's schema (migrated by a start of the service with no vendor). */
    private static String database(Path dir, String name) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve(name);
        Map<String, String> settings = settings(url, dir, "http://127.0.0.1:9");
        settings.put("moocit.enabled", "false");
        try (LmsSync service = new LmsSync(Path.of("application.properties"), settings)) {
            service.start();
        }
        return url;
    }

    private static Map<String, String> settings(String jdbcUrl, Path dir, String moocitUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sync.run-once", "true");
        settings.put("sync.sinks", "jdbc");
        settings.put("sync.jdbc.url", jdbcUrl);
        settings.put("sync.work-directory", dir.resolve("work").toString());
        settings.put("sync.file.directory", dir.resolve("out").toString());
        settings.put("camel.main.jmx-enabled", "false");
        settings.put("camel.management.enabled", "false");
        settings.put("moocit.enabled", "true");
        settings.put("moocit.base-url", moocitUrl);
        settings.put("moocit.token", TOKEN);
        settings.putAll(EXTRA);
        return settings;
    }

    private static double lmsSync(String moocitUrl, String jdbcUrl, Path dir, boolean again) throws Exception {
        try (LmsSync service = new LmsSync(Path.of("application.properties"), settings(jdbcUrl, dir, moocitUrl))) {
            service.start();
            long start = System.nanoTime();
            long cpu = cpuNanos();
            int exit = service.runOnce();
            double seconds = (System.nanoTime() - start) / 1e9;
            lastCpu = (cpuNanos() - cpu) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("lms-sync exited " + exit);
            }
            System.out.printf(Locale.ROOT, "lms-sync%s: %.1f s%n", again ? " (unchanged)" : "", seconds);
            return seconds;
        }
    }

    /**
     * The raw loop: stream, canonical record with its hash, MERGE in batches of 1,000 with one commit each. With
     * {@code sameRows}, each record's record_index and raw_object rows too (plain INSERTs, in the same commit).
     */
    static double rawLoop(String moocitUrl, String jdbcUrl, boolean sameRows) throws Exception {
        String template = new String(SpeedBenchmark.class.getClassLoader()
                .getResourceAsStream("sql/h2/upsert-learning-record.sql").readAllBytes(), StandardCharsets.UTF_8);
        String sql = template.replaceAll("(?m)^--.*$", "");
        List<String> names = ParsedOnceStatements.parse(sql);
        String positional = sql.replaceAll(":#\\w+", "?");
        long start = System.nanoTime();
        long cpu = cpuNanos();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(moocitUrl + "/api/so2/v1/completion")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Instant fetched = Instant.now();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
                PreparedStatement merge = c.prepareStatement(positional);
                PreparedStatement index = c.prepareStatement("INSERT INTO record_index (stream, content_hash, "
                        + "is_deleted, source_updated_at, fetched_at, partition_key, last_record, raw_hash, record_id, "
                        + "updated_at) VALUES (?, ?, FALSE, NULL, ?, NULL, NULL, ?, ?, CURRENT_TIMESTAMP)");
                PreparedStatement archive = c.prepareStatement("INSERT INTO raw_object (stream, object_id, "
                        + "partition_key, content_hash, fetched_at, body) VALUES (?, ?, NULL, ?, ?, ?)");
                JsonParser parser = Json.MAPPER.createParser(response.body())) {
            c.setAutoCommit(false);
            parser.nextToken();
            int batch = 0;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode raw = parser.readValueAsTree();
                String username = raw.get("username").asText();
                String course = raw.get("course_id").asText();
                double progress = new BigDecimal(raw.get("completion").asText()).doubleValue();
                LearningRecord record = LearningRecord.builder("moocit", "course_completion", username + "|" + course)
                        .learner(new Learner(username, raw.get("email").asText(), username, null, null, null, null))
                        .content(new Content(course, null, "course", null))
                        .status(progress >= 1 ? "completed" : progress > 0 ? "in_progress" : "not_started")
                        .sourceStatus(raw.get("completion").asText()).progress(progress).raw(raw).build(fetched);
                Map<String, Object> row = LearningRecordRows.row(record);
                for (int i = 0; i < names.size(); i++) {
                    merge.setObject(i + 1, row.get(names.get(i)));
                }
                merge.addBatch();
                if (sameRows) {
                    String body = Json.write(raw);
                    String rawHash = Sha256.hex(body);
                    index.setString(1, STREAM);
                    index.setString(2, record.contentHash());
                    index.setObject(3, row.get("fetched_at"));
                    index.setString(4, rawHash);
                    index.setString(5, record.recordId());
                    index.addBatch();
                    archive.setString(1, STREAM);
                    archive.setString(2, record.sourceRecordId());
                    archive.setString(3, rawHash);
                    archive.setObject(4, row.get("fetched_at"));
                    archive.setString(5, body);
                    archive.addBatch();
                }
                if (++batch == 1000) {
                    flush(c, merge, index, archive, sameRows);
                    batch = 0;
                }
            }
            flush(c, merge, index, archive, sameRows);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        lastCpu = (cpuNanos() - cpu) / 1e9;
        System.out.printf(Locale.ROOT, "raw loop%s: %.1f s%n", sameRows ? " (three rows)" : "", seconds);
        return seconds;
    }

    private static void flush(Connection c, PreparedStatement merge, PreparedStatement index,
            PreparedStatement archive, boolean sameRows) throws Exception {
        merge.executeBatch();
        if (sameRows) {
            index.executeBatch();
            archive.executeBatch();
        }
        c.commit();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

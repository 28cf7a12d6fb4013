package io.lmssync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The real service (Camel Main, ./application.properties, ./routes) pointed at a temporary data folder, with quick
 * retries, reading no source until a test switches one on (a simulated MOOCit: {@link #readingMoocit}); and readers for what it left in H2 and in files.
 * Public, so that a source's tests in its own package use it too ({@link #source}).
 */
public final class TestService {

    public static final String TOKEN = "moocit-test-token-0123456789";

    public final Path dir;
    public final Map<String, String> settings = new LinkedHashMap<>();

    /** The service with no source switched on: a test switches on its own ({@link #source}, {@link #with}). */
    public TestService(Path dir) {
        this.dir = dir;
        settings.put("sync.jdbc.url", jdbcUrl());
        settings.put("sync.jdbc.username", "sa");
        settings.put("sync.jdbc.password", "");
        settings.put("sync.file.directory", dir.resolve("out").toString());
        settings.put("sync.work-directory", dir.resolve("work").toString());
        settings.put("sync.chunk-size", "3");
        settings.put("sync.retry.max-redeliveries", "2");
        settings.put("sync.retry.delay-ms", "10");
        settings.put("sync.retry.max-delay-ms", "50");
        settings.put("camel.main.jmx-enabled", "false");
        settings.put("camel.management.enabled", "false");
        // a sync test counts what its first run asks the vendor; the first-contact gate is FirstContactTest's
        settings.put("sync.check.first-sync", "false");
    }

    /** The service reading MOOCit at {@code moocitUrl}, and no other source unless a test switches one on. */
    public static TestService readingMoocit(Path dir, String moocitUrl) {
        TestService service = new TestService(dir);
        service.settings.put("moocit.enabled", "true");
        service.settings.put("moocit.base-url", moocitUrl);
        service.settings.put("moocit.token", TOKEN);
        return service;
    }

    /**
     * The settings of a source whose block is not in application.properties: its own {@code <key>.properties} beside
     * {@code sourceClass} (the keys lms-sync then knows too), the values a test gives with {@link #with} aside.
     */
    public TestService source(Class<?> sourceClass, String key) {
        Properties own = new Properties();
        try (InputStream in = sourceClass.getResourceAsStream(key + ".properties")) {
            if (in == null) {
                throw new IllegalArgumentException(key + ".properties is not beside " + sourceClass.getName());
            }
            own.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        own.stringPropertyNames().forEach(name -> settings.putIfAbsent(name, own.getProperty(name).trim()));
        return this;
    }

    public TestService with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public String jdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    }

    /** The sync state and the jdbc sink in a new database on the test PostgreSQL server instead of H2. */
    public TestService onPostgres() throws SQLException {
        settings.put("sync.jdbc.url", TestPostgres.newDatabase());
        settings.put("sync.jdbc.username", "postgres");
        settings.put("sync.jdbc.password", "");
        return this;
    }

    public LmsSync service(boolean once) {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        overrides.put("sync.run-once", String.valueOf(once));
        return new LmsSync(Path.of("application.properties"), overrides);
    }

    /** One pass, as {@code --once} runs it; the exit code. */
    public int runOnce() throws Exception {
        try (LmsSync service = service(true)) {
            return service.start().runOnce();
        }
    }

    /** One reconciliation pass, as {@code --once --reconcile} runs it; the exit code. */
    public int reconcileOnce() throws Exception {
        try (LmsSync service = service(true)) {
            return service.start().reconcileOnce();
        }
    }

    /** The held deletions of the streams applied, as {@code --apply-held=...} does; the exit code. */
    public int applyHeld(String... streams) throws Exception {
        try (LmsSync service = service(true)) {
            return service.start().applyHeld(List.of(streams));
        }
    }

    /** The streams' raw archives mapped again, as {@code --once --replay ...} does; the exit code. */
    public int replay(String... streams) throws Exception {
        try (LmsSync service = service(true)) {
            return service.start().replay(List.of(streams));
        }
    }

    /** What {@code --check} printed, and its exit code. */
    public record Checked(int exit, String output) {
    }

    /**
     * {@code java -jar lms-sync.jar --check [STREAM,...] [--json]} with these settings on the command line, as an
     * operator runs it: the exit code and what it printed on standard output.
     */
    public Checked check(String... args) {
        List<String> command = new ArrayList<>(List.of("--check"));
        for (String arg : args) {
            command.add(arg);
        }
        settings.forEach((key, value) -> command.add(key + "=" + value));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream console = System.out;
        synchronized (TestService.class) {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                int exit = Application.run(command.toArray(String[]::new));
                return new Checked(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8));
            } finally {
                System.setOut(console);
            }
        }
    }

    public List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(settings.get("sync.jdbc.url"),
                settings.get("sync.jdbc.username"), settings.get("sync.jdbc.password"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.put(meta.getColumnLabel(i).toLowerCase(), comparable(value));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** The same Java value from H2 and PostgreSQL: text for CLOB and jsonb, OffsetDateTime in UTC for timestamps. */
    private static Object comparable(Object value) throws SQLException {
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.withOffsetSameInstant(java.time.ZoneOffset.UTC);
        }
        if (value != null && value.getClass().getName().equals("org.postgresql.util.PGobject")) {
            return value.toString();
        }
        return value;
    }

    public long count(String sql) throws SQLException {
        return ((Number) query(sql).get(0).values().iterator().next()).longValue();
    }

    /** The newest sync_run row. */
    public Map<String, Object> lastRun() throws SQLException {
        return query("SELECT * FROM sync_run ORDER BY id DESC FETCH FIRST 1 ROW ONLY").get(0);
    }

    /** Every file under the file sink's folder, relative path first. */
    public List<Path> files() {
        Path out = dir.resolve("out");
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every record file (dead-letter files aside), in file order. */
    public List<String> recordLines() {
        return files().stream().filter(p -> !p.toString().contains("dead-letter")).flatMap(p -> {
            try {
                return Files.readAllLines(p).stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /**
     * What the sinks and the sync state hold, as text: the rows of learning_record, record_index, sync_cursor and
     * dead_letter, and every file's name and content. Two equal states print the same.
     */
    public String state() throws SQLException {
        StringBuilder state = new StringBuilder();
        for (String sql : List.of("SELECT * FROM learning_record ORDER BY record_id",
                "SELECT * FROM record_index ORDER BY record_id", "SELECT * FROM sync_cursor ORDER BY stream",
                "SELECT * FROM dead_letter ORDER BY id")) {
            state.append(sql).append('\n');
            query(sql).forEach(row -> state.append(row).append('\n'));
        }
        for (Path file : files()) {
            try {
                state.append(dir.relativize(file)).append('\n').append(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state.toString();
    }
}

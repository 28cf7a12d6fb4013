package io.lmssync;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.lmssync.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A real LRS for the xapi sink's tests: Learning Locker's statement service ({@code xapi-statements}, pinned in
 * src/test/lrs) run by Node in memory on 127.0.0.1, installed with {@code npm ci} into target/lrs once; with the
 * client endpoint it asks about each request's credentials, served here. Its access log counts the calls it took.
 */
final class TestLrs implements AutoCloseable {

    static final String KEY = "lms-sync-key";
    static final String SECRET = "lrs-secret-9f8e7d6c5b4a";
    private static final Path HOME = Path.of("target/lrs");
    private static final String CLIENT = """
            {"_id": "5988f0f00000000000000001", "title": "lms-sync", "isTrusted": true,
             "authority": {"objectType": "Agent", "name": "lms-sync", "mbox": "mailto:lms-sync@example.com"},
             "lrs_id": "5988f0f00000000000000002", "organisation": "5988f0f00000000000000003", "scopes": ["all"]}""";

    private final HttpServer clients;
    private final ExecutorService answering = Executors.newCachedThreadPool();
    private final Path storage;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process node;

    /** The LRS, started, keeping its files (and access log) under the folder. */
    TestLrs(Path dir) throws IOException {
        install();
        storage = Files.createDirectories(dir.resolve("lrs"));
        clients = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String basic = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(
                StandardCharsets.UTF_8));
        clients.createContext("/", exchange -> {
            boolean known = basic.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = known ? CLIENT.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(known ? 200 : 404, known ? body.length : -1);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // every request the LRS takes asks here first: answered side by side, not queued behind one another
        clients.setExecutor(answering);
        clients.start();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        start();
    }

    /** npm ci of the pinned lock file into target/lrs, once for the build (about 20 s). */
    private static synchronized void install() throws IOException {
        Path lock = Path.of("src/test/lrs/package-lock.json");
        Path installed = HOME.resolve("node_modules/.installed-lock.json");
        Files.createDirectories(HOME);
        for (String file : List.of("package.json", "package-lock.json", "lrs.js", "validate.js")) {
            Files.copy(Path.of("src/test/lrs", file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(installed) && Files.mismatch(lock, installed) == -1) {
            return;
        }
        run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), null);
        Files.copy(lock, installed, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A command in target/lrs: its standard output; it must succeed. */
    static String run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What xapi-validation, the LRS's own validator, says of the statements: empty when they are valid. */
    static String independentProblems(List<? extends JsonNode> statements) {
        try {
            install();
            run(List.of("node", "validate.js"), Json.write(statements));
            return "";
        } catch (IllegalStateException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", "lrs.js").directory(HOME.toFile())
                .redirectErrorStream(true).redirectOutput(storage.resolve("lrs.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("MODELS_REPO", "memory");
        env.put("STORAGE_REPO", "local");
        env.put("FS_LOCAL_STORAGE_DIR", storage.resolve("files").toAbsolutePath().toString());
        env.put("EXPRESS_MORGAN_DIRECTORY", storage.resolve("access").toAbsolutePath().toString());
        env.put("EVENTS_REPO", "test");
        env.put("SERVICE_AWAIT_UPDATES", "true");
        env.put("EXPRESS_PORT", String.valueOf(port));
        env.put("AUTH_REPO", "fetch");
        env.put("LL_CLIENT_INFO_ENDPOINT", "http://127.0.0.1:" + clients.getAddress().getPort() + "/client");
        node = builder.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> get("about").statusCode() == 200);
    }

    /** The xAPI base the sink is given. */
    String endpoint() {
        return "http://127.0.0.1:" + port + "/xAPI";
    }

    /**
     * The statements the LRS shows (it hides voided ones) with the verb, e.g. completed or voided. The query answers
     * the statements that void a match too (xAPI: a filter matches statements targeting a match): they are left out.
     */
    List<JsonNode> statements(String verb) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        String verbId = "http://adlnet.gov/expapi/verbs/" + verb;
        String next = "statements?limit=10000&verb=" + URLEncoder.encode(verbId, StandardCharsets.UTF_8);
        while (next != null && !next.isEmpty()) {
            HttpResponse<String> answer = get(next);
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + next + " answered HTTP " + answer.statusCode() + ": "
                        + answer.body());
            }
            JsonNode page = Json.MAPPER.readTree(answer.body());
            page.get("statements").forEach(s -> {
                if (s.at("/verb/id").asText().equals(verbId)) {
                    found.add(s);
                }
            });
            String more = page.path("more").asText("");
            next = more.isEmpty() ? null : more.substring(more.indexOf("statements"));
        }
        return found;
    }

    /** The statement requests (POST or PUT) the LRS took so far. */
    long statementCalls() throws IOException {
        Path log = storage.resolve("access");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(log)) {
            return files.flatMap(TestLrs::lines).filter(l -> l.startsWith("POST /xAPI/statements")
                    || l.startsWith("PUT /xAPI/statements")).count();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        String basic = Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        try {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + path))
                    .header("Authorization", "Basic " + basic).header("X-Experience-API-Version", "1.0.3").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    void stop() throws InterruptedException {
        if (node != null) {
            node.destroy();
            node.waitFor();
            node = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        clients.stop(0);
        answering.shutdownNow();
    }
}

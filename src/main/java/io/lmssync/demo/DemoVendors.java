package io.lmssync.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The built-in demo: sample vendor answers served on localhost, so that {@code --demo} runs a real sync with no
 * vendor account. Each vendor's answers live in {@code src/main/resources/demo/<vendor>/}.
 */
public final class DemoVendors implements AutoCloseable {

    static final String TOKEN = "demo-token";
    static final String CONTINU_TOKEN = "demo-continu-token";
    static final String REPORTING_TOKEN = "demo-reporting-token";
    static final String ABSORB_TOKEN = "demo-absorb-token";

    private final HttpServer server;
    private final Path roster;

    private DemoVendors(HttpServer server, Path roster) {
        this.server = server;
        this.roster = roster;
    }

    public static DemoVendors start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/moocit/api/so2/v1/completion",
                resource("Bearer " + TOKEN, path -> "demo/moocit/completion.json"));
        server.createContext("/continu/v3/oauth2/access-token", exchange -> {
            try (exchange) {
                reply(exchange, 200, ("{\"access_token\": \"" + CONTINU_TOKEN + "\", \"token_type\": \"bearer\", "
                        + "\"expires_in\": " + (Instant.now().getEpochSecond() + 3600) + "}").getBytes());
            }
        });
        server.createContext("/continu/v1/completion/", resource("Bearer " + CONTINU_TOKEN,
                path -> "demo/continu/" + path.substring(path.lastIndexOf('/') + 1) + ".json"));
        server.createContext("/continu-reports/api/v1/reports/content-completion/",
                resource(REPORTING_TOKEN, path -> "demo/continu/content-completion.json"));
        server.createContext("/absorb/authenticate", exchange -> {
            try (exchange) {
                reply(exchange, 200, ("\"" + ABSORB_TOKEN + "\"").getBytes());
            }
        });
        server.createContext("/absorb/courses/", resource("Bearer " + ABSORB_TOKEN,
                path -> "demo/absorb/enrollments.json"));
        server.start();
        Path roster = Files.createTempFile("lms-sync-demo-roster", ".csv");
        try (InputStream in = DemoVendors.class.getClassLoader().getResourceAsStream("demo/continu/roster.csv")) {
            Files.copy(in, roster, StandardCopyOption.REPLACE_EXISTING);
        }
        return new DemoVendors(server, roster);
    }

    /** The settings that point every vendor at the demo. */
    public Map<String, String> settings() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("moocit.enabled", "true");
        settings.put("moocit.base-url", base + "/moocit");
        settings.put("moocit.token", TOKEN);
        settings.put("continu.enabled", "true");
        settings.put("continu.base-url", base + "/continu/v1");
        settings.put("continu.token-url", base + "/continu/v3/oauth2/access-token");
        settings.put("continu.client-id", "demo-client");
        settings.put("continu.client-secret", "demo-secret");
        settings.put("continu.roster-file", roster.toString());
        // three months of history: a backfill of three windows, then one window a run
        settings.put("continu.start-date", LocalDate.now(ZoneOffset.UTC).minusDays(90).toString());
        settings.put("continu-reporting.enabled", "true");
        settings.put("continu-reporting.base-url", base + "/continu-reports/api/v1");
        settings.put("continu-reporting.token", REPORTING_TOKEN);
        settings.put("continu-reporting.start-date", LocalDate.now(ZoneOffset.UTC).minusDays(90).toString());
        settings.put("absorb.enabled", "true");
        settings.put("absorb.base-url", base + "/absorb");
        settings.put("absorb.api-key", "demo-private-key");
        settings.put("absorb.username", "demo-user");
        settings.put("absorb.password", "demo-password");
        settings.put("absorb.course-ids", "demo-course-1");
        settings.put("absorb.start-date", LocalDate.now(ZoneOffset.UTC).minusDays(90).toString());
        return settings;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        Files.deleteIfExists(roster);
    }

    /** Answers with the classpath resource for the path to requests that carry the token, and 401 to the rest. */
    static HttpHandler resource(String authorization, UnaryOperator<String> resourceForPath) {
        return exchange -> {
            try (exchange) {
                if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    reply(exchange, 401, "{\"message\": \"invalid token\"}".getBytes());
                    return;
                }
                if (!inLatestWindow(exchange.getRequestURI().toString())) {
                    reply(exchange, 200, "[]".getBytes());
                    return;
                }
                String path = resourceForPath.apply(exchange.getRequestURI().getPath());
                try (InputStream in = DemoVendors.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IOException(path + " is missing from the jar");
                    }
                    reply(exchange, 200, in.readAllBytes());
                }
            }
        };
    }

    /**
     * The sample records carry fixed dates; the demo hands them to the window that ends within the last hour (the
     * newest), so a backfill shows empty older windows and each record once. Requests without a window get them.
     */
    private static boolean inLatestWindow(String uri) {
        Matcher until = UNTIL.matcher(URLDecoder.decode(uri, StandardCharsets.UTF_8));
        if (!until.find()) {
            return true;
        }
        Instant end = until.group(1) != null ? Instant.ofEpochSecond(Long.parseLong(until.group(1)))
                : Instant.parse(until.group(2));
        return end.isAfter(Instant.now().minusSeconds(3_600));
    }

    /** A window's end: Continu's until (query or path, Unix seconds) or Absorb's "dateEdited lt datetime'...'". */
    private static final Pattern UNTIL = Pattern.compile("(?:until=|/\\d+/)(\\d+)$|lt datetime'([^']+)'");

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

package io.lmssync.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.lmssync.source.Demo;
import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in demo: every source's sample answers ({@link Source#demo()}) served on localhost, each source under
 * {@code /<key>}, so that {@code --demo} runs a real sync with no account anywhere.
 */
public final class DemoSources implements AutoCloseable {

    /** Three months of history for a windowed source: a backfill of three windows, then one window a run. */
    private static final int HISTORY_DAYS = 90;

    private final HttpServer server;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private DemoSources(HttpServer server) {
        this.server = server;
    }

    public static DemoSources start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        DemoSources demo = new DemoSources(server);
        String host = "http://127.0.0.1:" + server.getAddress().getPort();
        for (Source source : Sources.all()) {
            Demo sample = source.demo();
            if (sample.answers().isEmpty()) {
                continue;
            }
            String base = "/" + source.key();
            for (Demo.Answer answer : sample.answers()) {
                server.createContext(base + answer.path(), handler(answer));
            }
            demo.settings.put(source.key() + ".enabled", "true");
            demo.settings.put(source.key() + ".base-url", host + base);
            if (source.windowed()) {
                demo.settings.put(source.key() + ".start-date",
                        LocalDate.now(ZoneOffset.UTC).minusDays(HISTORY_DAYS).toString());
            }
            demo.settings.putAll(sample.settings().apply(host + base));
        }
        server.start();
        return demo;
    }

    /** The settings that point every source at the demo. */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Answers a request that carries the expected Authorization with the answer's body, and 401 the rest. */
    static HttpHandler handler(Demo.Answer answer) {
        return exchange -> {
            try (exchange) {
                if (answer.authorization() != null
                        && !answer.authorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    reply(exchange, 401, "{\"message\": \"invalid token\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (answer.body() != null) {
                    reply(exchange, 200, answer.body().getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (!inLatestWindow(exchange.getRequestURI().toString())) {
                    reply(exchange, 200, "[]".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                String resource = answer.resource().replace("*", path.substring(path.lastIndexOf('/') + 1));
                try (InputStream in = DemoSources.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException(resource + " is missing from the jar");
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

    /**
     * A window's end, in each of the ways a window reaches a request ({@code RequestPlan.WindowPlacement}): Unix
     * seconds as a query parameter or the last path segment, or an OData filter's "lt datetime'...'".
     */
    private static final Pattern UNTIL = Pattern.compile("(?:until=|/\\d+/)(\\d+)(?:$|[?&])|lt datetime'([^']+)'");

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

package io.lmssync.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.source.Demo;
import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in demo: every source's sample answers ({@link Source#demo()}) served on localhost, each source under
 * {@code /<key>}, so that {@code --demo} runs a real sync with no account anywhere.
 */
public final class DemoSources implements AutoCloseable {

    /**
     * A hundred days of history for a windowed source: a backfill of four windows (P30D), then one window a run. Not
     * a whole number of windows: the sample goes to every window that ends within the last hour, and with 90 days a
     * backfill window ended at today's midnight, so a demo run between 00:00 and 01:00 UTC served it twice.
     */
    private static final int HISTORY_DAYS = 100;

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
                answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                if (answer.authorization() != null
                        && !answer.authorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    reply(exchange, 401, "{\"message\": \"invalid token\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (answer.body() != null) {
                    reply(exchange, 200, answer.body().getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (!inLatestWindow(answer, exchange.getRequestURI())) {
                    reply(exchange, 200, "[]".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String path = exchange.getRequestURI().getPath();
                String resource = answer.resource().replace("*", path.substring(path.lastIndexOf('/') + 1));
                try (InputStream in = DemoSources.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException(resource + " is missing from the jar");
                    }
                    byte[] body = in.readAllBytes();
                    reply(exchange, 200, answer.paged() == null ? body
                            : page(body, answer.paged(), exchange.getRequestURI().getRawQuery()));
                }
            }
        };
    }

    /**
     * The sample records carry fixed dates; the demo hands them to the window that ends within the last hour (the
     * newest), so a backfill shows empty older windows and each record once. Requests without a window get them.
     */
    private static boolean inLatestWindow(Demo.Answer answer, URI request) {
        Instant end = answer.window().end(request);
        return end == null || end.isAfter(Instant.now().minusSeconds(3_600));
    }

    /** The request's page of an envelope's items, as the source pages it; the whole envelope without a limit. */
    static byte[] page(byte[] envelope, Demo.Paged paged, String rawQuery) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!query.containsKey(paged.limitParam())) {
            return envelope;
        }
        ObjectNode answer = (ObjectNode) Json.MAPPER.readTree(envelope);
        ArrayNode items = (ArrayNode) answer.get(paged.itemsField());
        int limit = Integer.parseInt(query.get(paged.limitParam()));
        int offset = Integer.parseInt(query.getOrDefault(paged.offsetParam(), "0"));
        int from = (int) Math.min(items.size(), paged.pageIndex() ? (long) offset * limit : offset);
        ArrayNode page = Json.MAPPER.createArrayNode();
        for (int i = from; i < Math.min(items.size(), from + limit); i++) {
            page.add(items.get(i));
        }
        answer.put("totalItems", items.size()).put("returnedItems", page.size()).put("limit", limit)
                .put("offset", offset).set(paged.itemsField(), page);
        return Json.write(answer).getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

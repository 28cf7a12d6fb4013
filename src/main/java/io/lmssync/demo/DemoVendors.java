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

/**
 * The built-in demo: sample vendor answers served on localhost, so that {@code --demo} runs a real sync with no
 * vendor account. Each vendor's answers live in {@code src/main/resources/demo/<vendor>/}.
 */
public final class DemoVendors implements AutoCloseable {

    static final String TOKEN = "demo-token";

    private final HttpServer server;

    private DemoVendors(HttpServer server) {
        this.server = server;
    }

    public static DemoVendors start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/moocit/api/so2/v1/completion", resource("demo/moocit/completion.json"));
        server.start();
        return new DemoVendors(server);
    }

    /** The settings that point every vendor at the demo. */
    public Map<String, String> settings() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("moocit.enabled", "true");
        settings.put("moocit.base-url", base + "/moocit");
        settings.put("moocit.token", TOKEN);
        return settings;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Answers with a classpath resource to requests that carry the demo token, and 401 to the rest. */
    static HttpHandler resource(String path) {
        return exchange -> {
            try (exchange) {
                if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    reply(exchange, 401, "{\"message\": \"invalid token\"}".getBytes());
                    return;
                }
                try (InputStream in = DemoVendors.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IOException(path + " is missing from the jar");
                    }
                    reply(exchange, 200, in.readAllBytes());
                }
            }
        };
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

package io.lmssync.ops;

import io.lmssync.record.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page on the management server: {@code /observe/status} (a static page from the jar, src/main/resources/
 * status/, that fetches the JSON and draws it), {@code /observe/status.json} ({@link StatusReport}), and the page's
 * script and style. Read-only: it steers nothing (JMX and Jolokia do). The page builds its DOM from text, never from
 * markup, and its Content-Security-Policy lets only its own files run, so a vendor's text cannot become HTML or script.
 */
final class StatusPage {

    static final String PATH = "/observe/status";
    private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);
    /** Only the page's own script, style and JSON: no inline script, no other origin. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private StatusPage() {
    }

    /** Adds the page to the management server, when it runs; false when it does not. */
    static boolean mount(CamelContext context, StatusReport report) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return false;
        }
        Router router = server.getRouter();
        Map<String, String> files = Map.of(PATH, "status.html", PATH + ".js", "status.js", PATH + ".css", "status.css");
        Map<String, String> types = Map.of("status.html", "text/html; charset=utf-8",
                "status.js", "text/javascript; charset=utf-8", "status.css", "text/css; charset=utf-8");
        files.forEach((path, file) -> {
            Buffer content = Buffer.buffer(resource(file));
            router.route(HttpMethod.GET, path).handler(ctx -> send(ctx, types.get(file), content));
        });
        // the report reads the database: off the event loop
        router.route(HttpMethod.GET, PATH + ".json").blockingHandler(ctx -> json(ctx, report), false);
        // the console of a --demo service hides Camel's start-up lines, which list these: say where to look
        String base = "http://" + server.getHost() + ":" + server.getPort();
        LOG.info("status page {}{} (as JSON: {}.json)", base, PATH, PATH);
        StringBuilder more = new StringBuilder();
        if (server.isHealthCheckEnabled()) {
            more.append("health ").append(base).append(server.getHealthPath());
        }
        if (server.isMetricsEnabled()) {
            more.append(more.isEmpty() ? "" : ", ").append("metrics ").append(base).append("/observe/metrics");
        }
        if (server.isJolokiaEnabled()) {
            more.append(more.isEmpty() ? "" : ", ").append("Jolokia (Hawtio) ").append(base)
                    .append(server.getJolokiaPath());
        }
        if (!more.isEmpty()) {
            LOG.info("monitoring: {}", more);
        }
        return true;
    }

    private static void json(RoutingContext ctx, StatusReport report) {
        Buffer body;
        try {
            body = Buffer.buffer(Json.MAPPER.writeValueAsBytes(report.read()));
        } catch (Exception e) {
            String why = Redaction.redact(String.valueOf(e.getMessage()));
            LOG.warn("the status page cannot read the state: {}", why);
            ctx.response().setStatusCode(503);
            body = Buffer.buffer(Json.MAPPER.createObjectNode().put("error", "cannot read the state: " + why)
                    .toString());
        }
        send(ctx, "application/json", body);
    }

    private static void send(RoutingContext ctx, String type, Buffer body) {
        HttpServerResponse response = ctx.response();
        response.putHeader("Content-Type", type)
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Content-Security-Policy", POLICY)
                .end(body);
    }

    private static byte[] resource(String file) {
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/" + file)) {
            if (in == null) {
                throw new IllegalStateException("status/" + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

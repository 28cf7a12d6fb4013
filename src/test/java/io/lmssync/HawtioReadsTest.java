package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Hawtio 3's Camel plugin asks of /observe/jolokia (hawtio-next, packages/hawtio/src/plugins/camel: contexts,
 * routes, route-stats, profile and the Attributes and Operations tabs) is answered without a 403; what would change
 * Camel is refused; and lms-sync's own operations carry their descriptions and parameter names.
 */
class HawtioReadsTest {

    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final String CONTEXT = "org.apache.camel:context=lms-sync,type=context,name=\"lms-sync\"";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private LmsSync running;
    private int port;
    private String routeId;
    private String route;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        running = TestService.readingMoocit(dir, "http://127.0.0.1:9")
                .with("moocit.cron", NEVER)
                .with("camel.main.jmx-enabled", "true")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port))
                .service(false).start();
        routeId = running.context().getRoutes().stream().map(r -> r.getRouteId()).filter(id -> id.startsWith("moocit"))
                .sorted().findFirst().orElseThrow();
        route = "org.apache.camel:context=lms-sync,type=routes,name=\"" + routeId + "\"";
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
    }

    private JsonNode post(ObjectNode request) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    private JsonNode read(String mbean, String... attributes) throws Exception {
        ObjectNode request = Json.MAPPER.createObjectNode().put("type", "read").put("mbean", mbean);
        if (attributes.length > 0) {
            request.set("attribute", Json.MAPPER.valueToTree(List.of(attributes)));
        }
        return post(request);
    }

    private JsonNode exec(String mbean, String operation, Object... arguments) throws Exception {
        ObjectNode request = Json.MAPPER.createObjectNode().put("type", "exec").put("mbean", mbean)
                .put("operation", operation);
        request.set("arguments", Json.MAPPER.valueToTree(List.of(arguments)));
        return post(request);
    }

    @Test
    void theContextAndRouteViewsReadEverythingTheyAskFor() throws Exception {
        for (JsonNode answer : List.of(read(CONTEXT), read(CONTEXT, "CamelVersion", "State"), read(route),
                read(route, "StatisticsEnabled", "RouteId", "State", "Uptime", "ExchangesCompleted", "ExchangesFailed",
                        "FailuresHandled", "ExchangesTotal", "ExchangesInflight", "MeanProcessingTime"))) {
            assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        }
        assertThat(read(route, "StatisticsEnabled").path("value").path("StatisticsEnabled").isBoolean()).isTrue();

        JsonNode routes = exec(CONTEXT, "dumpRoutesAsXml()");
        assertThat(routes.path("value").asText()).as(routes.toString()).contains(routeId);
        JsonNode stats = exec(CONTEXT, "dumpRoutesStatsAsXml", true, true);
        assertThat(stats.path("value").asText()).as(stats.toString()).contains("<routeStat");
        for (JsonNode answer : List.of(exec(route, "dumpRouteAsXml()"), exec(route, "dumpRouteStatsAsXml", true, true),
                exec(route, "dumpStatsAsXml", true), exec(route, "isUpdateRouteEnabled()"),
                exec(CONTEXT, "dumpStatsAsXml", true), exec(CONTEXT, "componentNames()"))) {
            assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        }
    }

    @Test
    void nothingThatChangesCamelOrResolvesItsPlaceholdersRuns() throws Exception {
        for (JsonNode answer : List.of(exec(route, "stop()"), exec(route, "remove()"), exec(route, "reset", true),
                exec(route, "updateRouteFromXml", "<routes/>"), exec(CONTEXT, "stop()"), exec(CONTEXT, "suspend()"),
                exec(CONTEXT, "sendStringBody", "log:x", "x"), exec(CONTEXT, "dumpRoutesAsXml(boolean)", true))) {
            assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(403);
        }
        ObjectNode write = Json.MAPPER.createObjectNode().put("type", "write").put("mbean", route)
                .put("attribute", "StatisticsEnabled").put("value", false);
        assertThat(post(write).path("status").asInt()).isEqualTo(403);
        assertThat(running.context().getRouteController().getRouteStatus(routeId))
                .isEqualTo(ServiceStatus.Started);
    }

    @Test
    void lmsSyncsOperationsSayWhatTheyDoAndNameTheirParameters() throws Exception {
        ObjectNode list = Json.MAPPER.createObjectNode().put("type", "list").put("path", "lms-sync");
        JsonNode listed = post(list).path("value");
        String stream = java.util.stream.StreamSupport.stream(((Iterable<String>) listed::fieldNames).spliterator(),
                false).filter(name -> name.contains("type=stream")).findFirst().orElseThrow();
        JsonNode operations = listed.path(stream).path("op");
        assertThat(operations.size()).as(operations.toString()).isGreaterThan(5);
        operations.fields().forEachRemaining(op -> assertThat(op.getValue().path("desc").asText()).as(op.getKey())
                .isNotBlank().isNotEqualTo("Operation exposed for management"));
        JsonNode reset = operations.path("resetCursor").path("args").get(0);
        assertThat(reset.path("name").asText()).isEqualTo("isoInstant");
    }
}

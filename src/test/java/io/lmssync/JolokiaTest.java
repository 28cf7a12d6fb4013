package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.record.Json;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /observe/jolokia (what Hawtio connects to) over plain HTTP from the real service: lms-sync's MBeans read and run,
 * everything else refused by jolokia-access.xml, and nobody off this machine let in.
 */
class JolokiaTest {

    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final String ABSORB_STREAM = "lms-sync:type=stream,vendor=absorb,name=course-enrollments";

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LmsSync running;

    private LmsSync start(int port, String host) throws Exception {
        absorbServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Instant now = Instant.now();
        absorb.enroll("c1", 5, now.minus(1, ChronoUnit.DAYS));
        TestService service = AbsorbSimulator.readBy(new TestService(dir, "http://127.0.0.1:9"), absorbServer.baseUrl(),
                        now)
                .with("moocit.enabled", "false")
                .with("absorb.cron", NEVER)
                .with("absorb.reconcile-cron", NEVER)
                .with("camel.main.jmx-enabled", "true")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        if (host != null) {
            service.with("camel.management.host", host);
        }
        running = service.service(false).start();
        return running;
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private JsonNode get(String host, int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://" + host + ":" + port + "/observe/jolokia" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    private JsonNode post(int port, String request) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/jolokia")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    private static Optional<InetAddress> outsideAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (Exception e) { return false; } })
                .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
    }

    @Test
    void aStreamsRunNowRunsItAndItsCursorReadsAsJmxHasIt() throws Exception {
        int port = freePort();
        start(port, null);

        JsonNode exec = post(port, "{\"type\":\"exec\",\"mbean\":\"" + ABSORB_STREAM + "\",\"operation\":\"runNow\"}");
        assertThat(exec.path("status").asInt()).as(exec.toString()).isEqualTo(200);
        assertThat(exec.path("value").asText()).startsWith("a run of absorb-course-enrollments");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("127.0.0.1", port, "/read/" + ABSORB_STREAM
                + "/TotalRuns").path("value").asLong() == 1);

        JsonNode cursor = get("127.0.0.1", port, "/read/" + ABSORB_STREAM + "/Cursor");
        assertThat(cursor.path("status").asInt()).as(cursor.toString()).isEqualTo(200);
        assertThat(cursor.path("value").asText()).isNotEmpty().isEqualTo(ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName(ABSORB_STREAM), "Cursor"));
        assertThat(Instant.parse(cursor.path("value").asText())).isBefore(Instant.now());
    }

    @Test
    void everyOtherMBeanAndEveryWriteIsRefused() throws Exception {
        int port = freePort();
        start(port, null);

        JsonNode jvm = get("127.0.0.1", port, "/read/java.lang:type=Memory/HeapMemoryUsage");
        assertThat(jvm.path("status").asInt()).as(jvm.toString()).isEqualTo(403);
        assertThat(jvm.has("value")).isFalse();
        JsonNode camel = get("127.0.0.1", port, "/exec/org.apache.camel:context=lms-sync,type=context,"
                + "name=%22lms-sync%22/stop()");
        assertThat(camel.path("status").asInt()).as(camel.toString()).isEqualTo(403);
        assertThat(running.context().isStarted()).isTrue();
        JsonNode write = post(port, "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                + "\"value\":true}");
        assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(403);
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("java.lang:type=Memory"),
                "Verbose")).isEqualTo(false);
    }

    @Test
    void aClientOffThisMachineIsRefusedEvenWhenTheManagementPortIsOpenToIt() throws Exception {
        Optional<InetAddress> outside = outsideAddress();
        assumeTrue(outside.isPresent(), "the machine has an address besides loopback");
        String address = outside.get().getHostAddress();

        // by default the management server listens on loopback only: nothing to connect to
        int loopbackOnly = freePort();
        start(loopbackOnly, null);
        assertThatThrownBy(() -> get(address, loopbackOnly, "/version")).isInstanceOf(ConnectException.class);
        running.close();

        // opened to every address (for a scraper): health answers, Jolokia's policy still refuses
        int open = freePort();
        start(open, "0.0.0.0");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://" + address + ":" + open + "/observe/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode refused = get(address, open, "/read/" + ABSORB_STREAM + "/Cursor");
        // Jolokia's access check throws for the address; Camel's plugin calls it reflectively and answers 500
        assertThat(refused.path("status").asInt()).as(refused.toString()).isIn(403, 500);
        assertThat(refused.has("value")).as(refused.toString()).isFalse();
        assertThat(get("127.0.0.1", open, "/read/" + ABSORB_STREAM + "/Cursor").path("status").asInt())
                .isEqualTo(200);
    }
}

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
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import javax.management.ObjectName;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.spi.PlatformHttpPluginRegistry;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /observe/jolokia (what Hawtio connects to) over plain HTTP from the real service: lms-sync's MBeans read and run,
 * the JVM's MBeans and Camel's operations refused by jolokia-access.xml (Camel's reads: HawtioReadsTest); no page
 * of another site, no foreign Host and no GET or text/plain POST runs an operation; beyond loopback nothing without
 * the credential; and the audit names who called and how.
 */
class JolokiaTest {

    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final String ABSORB_STREAM = "lms-sync:type=stream,source=absorb,name=course-enrollments";

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private TestService service;
    private LmsSync running;

    private LmsSync start(int port, String host, String... settings) throws Exception {
        absorbServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Instant now = Instant.now();
        absorb.enroll("c1", 5, now.minus(1, ChronoUnit.DAYS));
        TestService service = AbsorbSimulator.readBy(new TestService(dir), absorbServer.baseUrl(),
                        now)
                .with("absorb.cron", NEVER)
                .with("absorb.reconcile-cron", NEVER)
                .with("camel.main.jmx-enabled", "true")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        if (host != null) {
            service.with("camel.management.host", host);
        }
        for (int i = 0; i < settings.length; i += 2) {
            service.with(settings[i], settings[i + 1]);
        }
        this.service = service;
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
        JsonNode camel = post(port, "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=lms-sync,type=context,"
                + "name=\\\"lms-sync\\\"\",\"operation\":\"stop()\"}");
        assertThat(camel.path("status").asInt()).as(camel.toString()).isEqualTo(403);
        assertThat(running.context().isStarted()).isTrue();
        JsonNode write = post(port, "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                + "\"value\":true}");
        assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(403);
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("java.lang:type=Memory"),
                "Verbose")).isEqualTo(false);
    }

    private static final String PASSWORD = "management-test-password-42";
    private static final String EVIL = "http://evil.example";

    private static String exec(String operation) {
        return "{\"type\":\"exec\",\"mbean\":\"" + ABSORB_STREAM + "\",\"operation\":\"" + operation + "\"}";
    }

    private HttpRequest.Builder jolokia(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/jolokia" + path));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean paused() throws Exception {
        return (Boolean) ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(ABSORB_STREAM),
                "Paused");
    }

    /** A request written by hand, for what HttpClient will not send: a Host header of our choosing. */
    private static String raw(int port, String method, String path, String host, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPageOfAnotherSiteCannotPauseAStreamWithAGetOrATextPlainPostAndNoOperationIsAGet() throws Exception {
        int port = freePort();
        start(port, null);
        String pause = "/exec/" + ABSORB_STREAM + "/pause";

        // a link, an image or a fetch() of another site: a GET, with its Origin or its Referer
        assertThat(send(jolokia(port, pause).header("Origin", EVIL)).statusCode()).isEqualTo(403);
        assertThat(send(jolokia(port, pause).header("Referer", EVIL + "/cats.html")).statusCode()).isEqualTo(403);
        // a form or a fetch() with text/plain, which a browser sends cross-site without asking first
        HttpResponse<String> form = send(jolokia(port, "").header("Origin", EVIL).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(exec("pause"))));
        assertThat(form.statusCode()).as(form.body()).isEqualTo(403);
        // the JSON a page of another site could only send after a preflight, which is refused too
        assertThat(send(jolokia(port, "").header("Origin", EVIL).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exec("pause")))).statusCode()).isEqualTo(403);
        HttpResponse<String> preflight = send(jolokia(port, "").header("Origin", EVIL)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(405);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // from no page at all an operation is still no GET, and a POST is JSON
        HttpResponse<String> get = send(jolokia(port, pause));
        assertThat(get.statusCode()).as(get.body()).isEqualTo(405);
        assertThat(get.body()).contains("changes state: send it as a POST with Content-Type: application/json");
        assertThat(send(jolokia(port, "?p=" + pause)).statusCode()).as("Jolokia's path parameter").isEqualTo(405);
        assertThat(raw(port, "GET", "/observe/jolokia/read/.." + pause, "127.0.0.1:" + port, ""))
                .as("a read that dot segments make an exec").startsWith("HTTP/1.1 405");
        assertThat(send(jolokia(port, "").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(exec("pause")))).statusCode()).isEqualTo(415);

        assertThat(paused()).isFalse();
        assertThat(service.count("SELECT COUNT(*) FROM control_audit")).as("nothing ran").isZero();
        // reads stay GETs
        assertThat(get("127.0.0.1", port, "/read/" + ABSORB_STREAM + "/Paused").path("value").asBoolean()).isFalse();
    }

    @Test
    void aRequestUnderAForeignHostIsRefusedAsADnsRebindingPageWouldSendIt() throws Exception {
        int port = freePort();
        start(port, null);

        String post = raw(port, "POST", "/observe/jolokia", "evil.example:" + port, exec("pause"));
        assertThat(post).startsWith("HTTP/1.1 403").contains("the Host 'evil.example' is not a name of this");
        assertThat(raw(port, "GET", "/observe/status.json", "evil.example:" + port, "")).startsWith("HTTP/1.1 403");
        assertThat(paused()).isFalse();

        assertThat(raw(port, "GET", "/observe/jolokia/read/" + ABSORB_STREAM + "/Paused", "localhost:" + port, ""))
                .startsWith("HTTP/1.1 200").contains("\"value\":false");
        assertThat(raw(port, "GET", "/observe/health/live", "evil.example", "")).as("probes send any Host")
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void aJsonPostFromTheServersOwnPageRunsRunNowAndTheAuditNamesTheCallerAndTheChannel() throws Exception {
        int port = freePort();
        start(port, null);

        HttpResponse<String> exec = send(jolokia(port, "").header("Origin", "http://127.0.0.1:" + port)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(exec("runNow"))));
        assertThat(Json.MAPPER.readTree(exec.body()).path("value").asText()).as(exec.body())
                .startsWith("a run of absorb-course-enrollments");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("127.0.0.1", port, "/read/" + ABSORB_STREAM
                + "/TotalRuns").path("value").asLong() == 1);

        assertThat(service.query("SELECT operation, caller, channel FROM control_audit")).containsExactly(
                java.util.Map.of("operation", "runNow", "caller", "127.0.0.1", "channel", "jolokia"));
        JsonNode audit = Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/observe/status.json"))).body()).path("audit").get(0);
        assertThat(audit.path("caller").asText()).isEqualTo("127.0.0.1");
        assertThat(audit.path("channel").asText()).isEqualTo("jolokia");
    }

    @Test
    void aManagementHostBeyondLoopbackWithoutACredentialStopsTheStartNamingTheSettings() throws Exception {
        int port = freePort();
        TestService service = AbsorbSimulator.readBy(new TestService(dir),
                        absorbServer.baseUrl(), Instant.now())
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port))
                .with("camel.management.host", "0.0.0.0");

        assertThatThrownBy(() -> service.service(false).start()).satisfies(e -> {
            Throwable root = e;
            while (!(root instanceof ConfigurationException) && root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(ConfigurationException.class).hasMessageContaining(
                    "camel.management.host is 0.0.0.0, which is not loopback").hasMessageContaining(
                    "Set sync.management.password (SYNC_MANAGEMENT_PASSWORD; the user is sync.management.username");
        });
        java.util.List<String> args = new java.util.ArrayList<>();
        service.settings.forEach((key, value) -> args.add(key + "=" + value));
        args.add("--once");
        assertThat(Application.run(args.toArray(String[]::new))).as("a configuration error's exit code").isEqualTo(2);
    }

    @Test
    void withACredentialARequestWithoutItIsRefusedAndOneWithItRunsFromThisMachineAndAnother() throws Exception {
        int port = freePort();
        start(port, "0.0.0.0", "sync.management.password", PASSWORD);

        HttpResponse<String> none = send(jolokia(port, "").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exec("pause"))));
        assertThat(none.statusCode()).as("loopback is no trust boundary either").isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValue("Basic realm=\"lms-sync\", charset=\"UTF-8\"");
        assertThat(send(jolokia(port, "/read/" + ABSORB_STREAM + "/Paused")
                .header("Authorization", basic("operator", "not-the-password"))).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/status.json")))
                .statusCode()).isEqualTo(401);
        assertThat(paused()).isFalse();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready")))
                .statusCode()).as("probes and scrapers need none").isEqualTo(200);

        HttpResponse<String> pause = send(jolokia(port, "").header("Content-Type", "application/json")
                .header("Authorization", basic("operator", PASSWORD))
                .POST(HttpRequest.BodyPublishers.ofString(exec("pause"))));
        assertThat(Json.MAPPER.readTree(pause.body()).path("value").asText()).as(pause.body())
                .isEqualTo("absorb-course-enrollments is paused");
        assertThat(paused()).isTrue();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/status.json"))
                .header("Authorization", basic("operator", PASSWORD))).statusCode()).isEqualTo(200);
        assertThat(service.query("SELECT operation, caller, channel FROM control_audit")).containsExactly(
                java.util.Map.of("operation", "pause", "caller", "operator from 127.0.0.1", "channel", "jolokia"));
        assertThat(io.lmssync.ops.Secrets.mask("password " + PASSWORD)).isEqualTo("password ******");

        Optional<InetAddress> outside = outsideAddress();
        assumeTrue(outside.isPresent(), "the machine has an address besides loopback");
        String address = outside.get().getHostAddress();
        HttpRequest.Builder resume = HttpRequest.newBuilder(URI.create("http://" + address + ":" + port
                + "/observe/jolokia")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(exec("resume")));
        assertThat(send(resume).statusCode()).isEqualTo(401);
        assertThat(paused()).isTrue();
        HttpResponse<String> resumed = send(resume.header("Authorization", basic("operator", PASSWORD)));
        assertThat(Json.MAPPER.readTree(resumed.body()).path("value").asText()).as(resumed.body())
                .isEqualTo("absorb-course-enrollments runs again on its schedule");
        assertThat(paused()).isFalse();
        assertThat(service.query("SELECT caller FROM control_audit WHERE operation = 'resume'")).containsExactly(
                java.util.Map.of("caller", "operator from " + address));
    }

    @Test
    void jolokiasOwnPolicyRefusesABrowsersOriginThatReachesItByAnyOtherWay() throws Exception {
        int port = freePort();
        start(port, null);
        HttpRequestHandler jolokia = running.context().getCamelContextExtension()
                .getContextPlugin(PlatformHttpPluginRegistry.class)
                .resolvePluginById("jolokia", DefaultJolokiaPlatformHttpPlugin.class).orElseThrow()
                .getJolokiaRequestHandler();

        // jolokia-access.xml's strict CORS check, as Camel's handler calls it (an absent Origin arrives as "")
        assertThatThrownBy(() -> jolokia.checkAccess("http", "127.0.0.1", "127.0.0.1", EVIL))
                .isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> jolokia.checkAccess("http", "127.0.0.1", "127.0.0.1", "http://127.0.0.1:" + port))
                .as("even our own: the gate removes what it vouched for").isInstanceOf(SecurityException.class);
        jolokia.checkAccess("http", "127.0.0.1", "127.0.0.1", "");
    }
}

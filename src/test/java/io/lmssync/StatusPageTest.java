package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.ops.ControlPlane;
import io.lmssync.record.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /observe/status in a real browser: Debian's headless Chromium (.ci/run installs it) loads the page from the real
 * service after real runs against simulated vendors, runs its script, and the DOM it renders is checked: a row per
 * stream with its state, a vendor's markup shown as text, no learner's e-mail; and the demo's page at 1024 px: it
 * fits, charts raw streams, lists each stream's runs and says times in local form. It also takes screenshots
 * (target/status-page.png, target/status-page-1024.png).
 */
class StatusPageTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String NEVER = "0 0 0 1 1 ? 2099";
    /** A completion value a vendor could send: if the page took it as markup, its script would retitle the page. */
    private static final String MARKUP = "<img src=x onerror=document.title='pwned'>";

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRealBrowserRendersARowPerStreamWithItsStateAndShowsAVendorsMarkupAsText() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("this test needs Debian's Chromium at %s: apt-get install -y"
                + " chromium (.ci/run installs it when it is missing)", CHROMIUM).isTrue();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path users = Files.writeString(dir.resolve("users.csv"), "learner,thrive_user_id\nana@example.com,U-1\n");
        Path contents = Files.writeString(dir.resolve("content.csv"),
                "content,thrive_content_id\nmoocit:course-v1:A,C-1\n");
        Instant now = Instant.now();
        absorbServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        absorb.enroll("c1", 5, now.minus(1, ChronoUnit.DAYS));
        TestService service = ThriveSimulator.pushedToBy(AbsorbSimulator.readBy(TestService.readingMoocit(dir, moocit.baseUrl()), absorbServer.baseUrl(), now), moocit.baseUrl(), users, contents)
                .with("moocit.cron", NEVER)
                .with("absorb.cron", NEVER)
                .with("absorb.reconcile-cron", NEVER)
                .with("sync.sinks", "jdbc,thrive")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(post(urlPathEqualTo("/oauth2/token/" + ThriveSimulator.TENANT)).willReturn(okJson(
                "{\"access_token\":\"thrive-access-token-77\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        moocit.stubFor(post(urlPathEqualTo("/rest/v1/learning/completions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        // ana's completion goes to Thrive, ben has no Thrive user (pending), cy's completion is markup (dead letter)
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(MoocitSyncTest.answer(
                "ana,course-v1:A,1", "ben,course-v1:A,1", "cy,course-v1:A," + MARKUP))));

        try (LmsSync running = service.service(false).start()) {
            assertThat(running.runOnce()).isZero();
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(unauthorized()));
            assertThat(running.runOnce()).isEqualTo(1);
            ControlPlane controls = running.context().getRegistry().lookupByNameAndType("controlPlane",
                    ControlPlane.class);
            controls.stream("absorb-course-enrollments").orElseThrow().pause();
            controls.stream("absorb-course-enrollments").orElseThrow().resume();
            controls.stream("moocit-course-completions").orElseThrow().pause();

            String url = "http://127.0.0.1:" + port + "/observe/status";
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    policy -> assertThat(policy).contains("script-src 'self'").doesNotContain("unsafe-inline"));
            JsonNode status = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(url + ".json"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            List<String> streams = new ArrayList<>();
            status.path("streams").forEach(s -> streams.add(s.path("stream").asText()));
            assertThat(streams).containsExactly("absorb-course-enrollments", "moocit-course-completions");

            String dom = chromium("--dump-dom", url);
            assertThat(dom).as("the script ran and drew the JSON").contains("<body data-loaded=\"true\"");
            assertThat(dom).contains(
                    "<tr id=\"stream-absorb-course-enrollments\" data-stream=\"absorb-course-enrollments\""
                            + " data-state=\"ok\">",
                    "<tr id=\"stream-moocit-course-completions\" data-stream=\"moocit-course-completions\""
                            + " data-state=\"paused\">",
                    "MOOCit rejected the credentials (HTTP 401)",
                    "<tr data-account=\"absorb\">", "<tr data-account=\"moocit\">", "<tr data-account=\"thrive\">",
                    "<td>pause</td>", "<td>resume</td>");
            // who ran each action and through what: here this process, called in it (JMX, Jolokia and the command
            // line name theirs: JolokiaTest, ControlPlaneTest)
            assertThat(dom).contains("<td class=\"small caller\">this process</td><td class=\"small\">in-process</td>");
            // the vendor's markup is text on the page: no element made of it, no script of it run
            assertThat(dom).contains("&lt;img src=x onerror=document.title='pwned'&gt;").doesNotContain("<img")
                    .contains("<title>lms-sync status</title>");
            assertThat(dom).doesNotContain("@example.com", TestService.TOKEN, ThriveSimulator.CLIENT_SECRET);

            Path screenshot = dir.resolve("status-page.png");
            chromium("--screenshot=" + screenshot, "--window-size=1280,900", url);
            assertThat(screenshot).exists();
            byte[] png = Files.readAllBytes(screenshot);
            assertThat(png.length).as("screenshot size").isGreaterThan(10_000);
            // a PNG of the window's size: signature, then the IHDR chunk's width and height
            assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
            assertThat(ByteBuffer.wrap(png, 16, 8).getInt()).isEqualTo(1280);
            assertThat(ByteBuffer.wrap(png, 20, 4).getInt()).isEqualTo(900);
            Files.createDirectories(Path.of("target"));
            Files.copy(screenshot, Path.of("target", "status-page.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theDemosPageFits1024PixelsChartsRawStreamsAndListsEachStreamsRunsInLocalTime() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (io.lmssync.demo.DemoSources sources = io.lmssync.demo.DemoSources.start()) {
            TestService service = TestService.readingMoocit(dir, "http://127.0.0.1:9")
                    .with("camel.management.enabled", "true")
                    .with("camel.management.port", String.valueOf(port));
            sources.settings().forEach(service::with);
            try (LmsSync running = service.service(false).start()) {
                assertThat(running.runOnce()).isZero();
                String url = "http://127.0.0.1:" + port + "/observe/status";

                String dom = chromium("--window-size=1024,768", "--dump-dom", url);
                assertThat(dom).contains("<body data-loaded=\"true\" data-fits=\"true\">");
                // a raw-only stream's records are charted, as archived only; every bar's scale is written
                assertThat(between(dom, "id=\"stream-continu-reporting-user-engagement\"", "</tr>"))
                        .contains("class=\"raw\"", "last: 3 fetched, 3 archived only", "<text class=\"scale\"");
                // one click away: the chart opens the list of the stream's runs (when, how long, counts, error)
                assertThat(dom).contains("<button type=\"button\" class=\"runs-toggle\" aria-expanded=\"false\""
                        + " aria-controls=\"runs-moocit-course-completions\"");
                String runs = between(dom, "data-history=\"moocit-course-completions\"", "</table>");
                assertThat(runs).contains("<th>took</th>", "<td>sync</td><td>succeeded</td>",
                        "<td class=\"num\">10</td><td class=\"num\">8</td>");
                assertThat(runs).containsPattern("<td class=\"num\">\\d+\\.\\d s</td>");
                // times as the reader's clock has them, never an ISO instant with its fraction of a second
                assertThat(dom).doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z</")
                        .containsPattern("as of [^<]*\\d{1,2}:\\d\\d:\\d\\d");

                Path screenshot = dir.resolve("status-page-1024.png");
                chromium("--screenshot=" + screenshot, "--window-size=1024,900", url);
                Files.createDirectories(Path.of("target"));
                Files.copy(screenshot, Path.of("target", "status-page-1024.png"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("%s in the page", start).isNotNegative();
        int to = text.indexOf(end, from);
        return text.substring(from, to < 0 ? text.length() : to);
    }

    /**
     * Runs headless Chromium on the page, as the machine notes say to run it here (no sandbox as root, no background
     * connections, a fresh profile); the virtual time budget lets the page's fetch and drawing finish first. Its
     * standard output.
     */
    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process chromium = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 90 s: " + Files.readString(err));
        }
        assertThat(chromium.exitValue()).as("Chromium's exit code; it said: %s", Files.readString(err)).isZero();
        return Files.readString(out);
    }
}

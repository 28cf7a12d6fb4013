package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as README says: {@code java -jar target/lms-sync.jar}, from a folder with the settings. */
class JarIT {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workdir;

    record Result(int exitCode, String output) {
    }

    @BeforeEach
    void copySettingsAndRoutes() throws IOException {
        JarProcess.prepare(workdir);
    }

    private Result run(Map<String, String> environment, String... args) throws Exception {
        Path log = workdir.resolve("output-" + System.nanoTime() + ".log");
        Process process = JarProcess.start(workdir, environment, log, args);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the jar finished within 2 minutes").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(process.exitValue(), output);
    }

    @Test
    void theDemoSyncsTheSampleVendorsAndEndsWithATableOnAQuietConsole() throws Exception {
        Result first = run(Map.of(), "--demo", "--once");

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output().lines()).as(first.output()).hasSizeLessThanOrEqualTo(40)
                .noneMatch(line -> line.contains("|-INFO in ch.qos.logback") || line.contains("|-WARN in"))
                .noneMatch(line -> line.contains("Started moocit-call") || line.contains("Auto-configuration summary")
                        || line.contains("Migrating schema"))
                .anyMatch(line -> line.matches("\\s+stream\\s+outcome\\s+fetched\\s+inserted\\s+updated\\s+unchanged"
                        + "\\s+deleted\\s+held\\s+dead_lettered\\s+requests\\s+archived\\s+duration"))
                .anyMatch(line -> line.matches("\\s+moocit-course-completions\\s+succeeded\\s+10\\s+8\\s+0\\s+0\\s+0\\s+0"
                        + "\\s+2\\s+1\\s+8\\s+\\S+s"))
                .anyMatch(line -> line.startsWith("  records went to: database jdbc:h2:file:./data/lms-sync; files ")
                        && line.endsWith("data" + java.io.File.separator + "out"));
        for (String stream : new String[] {"absorb-course-enrollments", "absorb-lesson-enrollments",
            "absorb-lesson-attempts", "absorb-chapter-enrollments", "absorb-session-enrollments", "continu-assessments",
            "continu-assignments", "continu-tracks", "continu-workshops", "continu-reporting-content-completions",
            "continu-reporting-assessment-status", "continu-reporting-user-engagement"}) {
            assertThat(first.output().lines()).as(stream).anyMatch(line -> line.matches(
                    "\\s+" + stream + "\\s+succeeded(\\s+\\d+){9}\\s+\\S+s(  raw_only=\\d+)?"));
        }
        assertThat(workdir.resolve("data/lms-sync.mv.db")).exists();
        try (Stream<Path> files = Files.walk(workdir.resolve("data/out/moocit/course_completion"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".ndjson"))).hasSize(1);
        }

        Result second = run(Map.of(), "--demo", "--once");
        assertThat(second.output().lines()).anyMatch(line -> line.matches(
                "\\s+moocit-course-completions\\s+succeeded\\s+10\\s+0\\s+0\\s+8\\s+0\\s+0\\s+2\\s+1\\s+0\\s+\\S+s"));
    }

    @Test
    void aChosenLogLevelShowsCamelsStartUpAgain() throws Exception {
        Result result = run(Map.of("LOG_LEVEL", "INFO"), "--demo", "--once");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Started moocit-call", "moocit-course-completions succeeded: fetched=10 "
                + "inserted=8", "window 1 of ").doesNotContain("|-INFO in ch.qos.logback");
    }

    @Test
    void theDemoAsAServiceNamesItsMonitoringUrlsOnAQuietConsoleAndServesTheStatusPage() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Path log = workdir.resolve("service.log");
        Process process = JarProcess.start(workdir, Map.of(), log, "--demo", "camel.management.port=" + port);
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("control plane:") || !process.isAlive());
            String output = Files.readString(log);
            assertThat(output.lines()).as(output)
                    .anyMatch(line -> line.endsWith("status page " + base + "/observe/status (as JSON: "
                            + "/observe/status.json)"))
                    .anyMatch(line -> line.endsWith("monitoring: health " + base + "/observe/health, metrics " + base
                            + "/observe/metrics, Jolokia (Hawtio) " + base + "/observe/jolokia"))
                    .noneMatch(line -> line.contains("Started moocit-call"));
            java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/observe/status.json")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"stream\":\"moocit-course-completions\"",
                    "\"stream\":\"continu-reporting-content-completions\"");
            // each stream ran once at start, not at its first firing: the page has runs to show at once
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
                com.fasterxml.jackson.databind.JsonNode streams = io.lmssync.record.Json.MAPPER.readTree(
                        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(base + "/observe/status.json")).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("streams");
                assertThat(streams.size()).isEqualTo(13);
                streams.forEach(stream -> assertThat(stream.path("last_success").isTextual())
                        .as(stream.path("stream").asText()).isTrue());
            });
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the service stopped on SIGTERM").isTrue();
        }
    }

    @Test
    void versionPrintsTheBuildsVersionAndExitsZero() throws Exception {
        Result result = run(Map.of(), "--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).isEqualTo("lms-sync " + System.getProperty("lmssync.version") + "\n");
    }

    @Test
    void environmentVariablesOverrideTheFileAndDebugLoggingShowsNoToken() throws Exception {
        String token = "jar-it-secret-token-9f8e7d";
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).withHeader("Authorization",
                equalTo("Bearer " + token)).willReturn(okJson(
                        "[{\"username\":\"ana\",\"course_id\":\"c1\",\"completion\":\"0.5\"}]")));

        Result result = run(Map.of("MOOCIT_ENABLED", "true", "MOOCIT_BASE_URL", moocit.baseUrl(),
                "MOOCIT_TOKEN", token, "SYNC_SINKS", "jdbc", "SYNC_JDBC_URL", "jdbc:h2:file:./elsewhere/db",
                "LOG_LEVEL", "DEBUG"), "--once");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("DEBUG", "moocit-course-completions succeeded: fetched=1 inserted=1")
                .doesNotContain(token);
        assertThat(workdir.resolve("elsewhere/db.mv.db")).exists();
        assertThat(workdir.resolve("data/out")).doesNotExist();
    }

    @Test
    void aMissingTokenStopsTheStartWithExitCodeTwoNamingTheVariable() throws Exception {
        Result result = run(Map.of("MOOCIT_ENABLED", "true"), "--once");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("configuration error: moocit.token is not set",
                "set the environment variable MOOCIT_TOKEN");
    }
}

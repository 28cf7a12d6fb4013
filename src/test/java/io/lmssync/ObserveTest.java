package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** /observe/health and /observe/metrics over real HTTP, from the real service. */
class ObserveTest {

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> fetch(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aFailingVendorShowsInHealthAndMetricsWhileTheServiceStaysReady() throws Exception {
        int port = freePort();
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl())
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,course-v1:A,1", "ben,course-v1:A,0.5", "cy,course-v1:A,lots"))));

        try (LmsSync running = service.service(true).start()) {
            assertThat(running.runOnce()).isZero();

            HttpResponse<String> health = fetch(port, "/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("{\"name\":\"source-moocit\",\"status\":\"UP\"}",
                    "{\"name\":\"database\",\"status\":\"UP\"}");

            HttpResponse<String> metrics = fetch(port, "/observe/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains(
                    "lms_sync_records_total{outcome=\"inserted\",source=\"moocit\",stream=\"moocit-course-completions\"} 2.0",
                    "lms_sync_records_total{outcome=\"dead_lettered\",source=\"moocit\",stream=\"moocit-course-completions\"} 1.0",
                    "lms_sync_runs_total{source=\"moocit\",stream=\"moocit-course-completions\"} 1.0",
                    "lms_sync_requests_total{source=\"moocit\",stream=\"moocit-course-completions\"} 1.0",
                    "lms_sync_last_run_failed{source=\"moocit\",stream=\"moocit-course-completions\"} 0.0");

            // the token stops working: the vendor's check says why, and the service stays ready and alive
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(unauthorized()));
            assertThat(running.runOnce()).isEqualTo(1);

            health = fetch(port, "/observe/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"UP\"").contains("{\"name\":\"source-moocit\","
                    + "\"status\":\"UP\",\"message\":\"moocit-course-completions failed: MOOCit rejected the credentials "
                    + "(HTTP 401): check moocit.token (MOOCIT_TOKEN)\"}").doesNotContain(TestService.TOKEN);
            HttpResponse<String> ready = fetch(port, "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("{\"name\":\"database\",\"status\":\"UP\"}")
                    .doesNotContain("source-moocit");
            assertThat(fetch(port, "/observe/health/live").statusCode()).as("alive").isEqualTo(200);
            HttpResponse<String> details = fetch(port, "/observe/health?data=true");
            assertThat(details.body()).as(details.body()).contains("\"state\":\"failing\"",
                    "\"moocit-course-completions.last_run_status\":\"failed\"");
            assertThat(fetch(port, "/observe/metrics").body()).contains(
                    "lms_sync_last_run_failed{source=\"moocit\",stream=\"moocit-course-completions\"} 1.0",
                    "lms_sync_failed_runs_total{source=\"moocit\",stream=\"moocit-course-completions\"} 1.0");
        }
    }

    @Test
    void aFailedFirstContactShowsOnTheStatusPageAndInHealthAndTheStreamsCheckRunsItAgain() throws Exception {
        int port = freePort();
        // the platform's URL with a path too many: every request answers 404
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl() + "/lms")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port))
                .with("sync.check.first-sync", "true");
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,course-v1:A,1"))));

        try (LmsSync running = service.service(true).start()) {
            assertThat(running.runOnce()).isEqualTo(1);
            assertThat(moocit.getAllServeEvents()).as("the check's one request; the sync never started").hasSize(1);

            com.fasterxml.jackson.databind.JsonNode status = io.lmssync.record.Json.MAPPER.readTree(
                    fetch(port, "/observe/status.json").body()).get("streams").get(0);
            assertThat(status.get("check").get("outcome").asText()).isEqualTo("failed");
            assertThat(status.get("check").get("summary").asText()).contains("path failed", "moocit.base-url");
            assertThat(fetch(port, "/observe/health").body()).contains("moocit-course-completions failed: its "
                    + "first-contact check failed, so its first sync does not start: path failed");

            String again = running.context().getRegistry().lookupByNameAndType("controlPlane",
                    io.lmssync.ops.ControlPlane.class).stream("moocit-course-completions").orElseThrow().check();
            assertThat(again).startsWith("moocit-course-completions: check failed (1 checks, 1 request(s)): path failed")
                    .contains("moocit.base-url").doesNotContain(TestService.TOKEN);
        }
    }

    /** A sample's value in Prometheus text: the line of the metric whose labels include every one given. */
    static double sample(String metrics, String name, String... labels) {
        return metrics.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " with " + String.join(",", labels) + " in:\n"
                        + metrics.lines().filter(l -> l.startsWith("lms_sync")).collect(
                                java.util.stream.Collectors.joining("\n"))));
    }

    @Test
    void metricsSayWhatAlertsNeedLastSuccessNextRunBacklogsFailuresInARowAndTheAccountsBudgetAndPause()
            throws Exception {
        int port = freePort();
        String never = "0 0 0 1 1 ? 2099";
        Path users = Files.writeString(dir.resolve("users.csv"), "learner,thrive_user_id\nana@example.com,U-1\n");
        Path contents = Files.writeString(dir.resolve("content.csv"),
                "content,thrive_content_id\nmoocit:course-v1:A,C-1\n");
        TestService service = ThriveSimulator.pushedToBy(TestService.readingMoocit(dir, moocit.baseUrl()), moocit.baseUrl(),
                        users, contents)
                .with("sync.sinks", "jdbc,thrive")
                .with("moocit.cron", never)
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(post(urlPathEqualTo("/oauth2/token/" + ThriveSimulator.TENANT)).willReturn(okJson(
                "{\"access_token\":\"thrive-access-token-77\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        moocit.stubFor(post(urlPathEqualTo("/rest/v1/learning/completions")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        // ana's completion is pushed, ben has no Thrive user (pending), cy's completion is not a number (dead letter)
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,course-v1:A,1", "ben,course-v1:A,1", "cy,course-v1:A,lots"))));
        String stream = "stream=\"moocit-course-completions\"";

        try (LmsSync running = service.service(false).start()) {
            assertThat(running.runOnce()).isZero();
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(unauthorized()));
            assertThat(running.runOnce()).isEqualTo(1);
            assertThat(running.runOnce()).isEqualTo(1);
            // another node took a 429 for the account: the pause is in the database, for every node
            java.time.Instant pausedUntil = java.time.Instant.now().plusSeconds(600)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(service.jdbcUrl(), "sa", "");
                    java.sql.PreparedStatement insert = c.prepareStatement(
                            "UPDATE rate_account SET paused_until = ? WHERE account = 'moocit'")) {
                insert.setObject(1, pausedUntil.atOffset(java.time.ZoneOffset.UTC));
                assertThat(insert.executeUpdate()).isOne();
            }

            // Micrometer holds a gauge's object weakly: a collection must not turn the meters into NaN
            System.gc();
            String metrics = fetch(port, "/observe/metrics").body();
            java.time.Instant succeeded = ((java.time.OffsetDateTime) service.query("SELECT ended_at FROM sync_run"
                    + " WHERE status = 'succeeded'").get(0).get("ended_at")).toInstant();
            assertThat(sample(metrics, "lms_sync_last_success_timestamp_seconds", stream))
                    .isCloseTo(succeeded.toEpochMilli() / 1000.0, org.assertj.core.data.Offset.offset(0.001));
            assertThat(sample(metrics, "lms_sync_failed_runs_in_a_row", stream)).isEqualTo(2.0);
            assertThat(sample(metrics, "lms_sync_dead_letters", stream)).isEqualTo(1.0);
            assertThat(sample(metrics, "lms_sync_thrive_pending", stream)).isEqualTo(1.0);
            assertThat(sample(metrics, "lms_sync_held_deletions", stream)).isZero();
            java.util.Date next = new org.quartz.CronExpression(never).getNextValidTimeAfter(new java.util.Date());
            assertThat(sample(metrics, "lms_sync_next_run_timestamp_seconds", stream, "schedule=\"sync\""))
                    .isEqualTo(next.getTime() / 1000.0);
            assertThat(sample(metrics, "lms_sync_account_paused_until_timestamp_seconds", "account=\"moocit\""))
                    .isEqualTo((double) pausedUntil.getEpochSecond());
            assertThat(sample(metrics, "lms_sync_account_paused_until_timestamp_seconds", "account=\"thrive\""))
                    .isZero();
            double inWindow = sample(metrics, "lms_sync_account_requests_in_window", "account=\"moocit\"",
                    "counted_by=\"lms-sync\"");
            assertThat(inWindow).as("three runs, a request each").isEqualTo(3.0);
            assertThat(sample(metrics, "lms_sync_account_budget_used_ratio", "account=\"moocit\""))
                    .isEqualTo(inWindow / 60);

            // a run that succeeds again ends the failures in a row and moves the last success
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                    MoocitSyncTest.answer("ana,course-v1:A,1", "ben,course-v1:A,1", "cy,course-v1:A,lots"))));
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(service.jdbcUrl(), "sa", "");
                    java.sql.Statement s = c.createStatement()) {
                s.execute("UPDATE rate_account SET paused_until = CURRENT_TIMESTAMP - INTERVAL '1' HOUR");
            }
            assertThat(running.runOnce()).isZero();
            metrics = fetch(port, "/observe/metrics").body();
            assertThat(sample(metrics, "lms_sync_failed_runs_in_a_row", stream)).isZero();
            assertThat(sample(metrics, "lms_sync_last_success_timestamp_seconds", stream))
                    .isGreaterThan(succeeded.toEpochMilli() / 1000.0);
            assertThat(sample(metrics, "lms_sync_account_paused_until_timestamp_seconds", "account=\"moocit\""))
                    .isZero();
        }
    }

    @Test
    void everyLmsSyncMeterHasAHelpTextAndReadsANumberBesideTheJvmsAndTheProcesssMeters() throws Exception {
        int port = freePort();
        String never = "0 0 0 1 1 ? 2099";
        Instant now = Instant.now();
        TestService service = AbsorbSimulator.readBy(TestService.readingMoocit(dir, moocit.baseUrl()), moocit.baseUrl(), now)
                .with("moocit.cron", never)
                .with("absorb.cron", never)
                .with("absorb.reconcile-cron", never)
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,course-v1:A,1"))));

        try (LmsSync running = service.service(false).start()) {
            // MOOCit syncs once; Absorb never ran: its stream has no success and no cursor yet
            running.context().getRegistry().lookupByNameAndType("controlPlane", io.lmssync.ops.ControlPlane.class)
                    .stream("moocit-course-completions").orElseThrow().runNow();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> service.count(
                    "SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded'") == 1);

            String metrics = fetch(port, "/observe/metrics").body();
            java.util.Set<String> families = new java.util.TreeSet<>();
            java.util.Map<String, String> help = new java.util.TreeMap<>();
            for (String line : metrics.lines().toList()) {
                if (line.startsWith("# HELP lms_sync_")) {
                    String rest = line.substring("# HELP ".length());
                    int space = rest.indexOf(' ');
                    help.put(space < 0 ? rest : rest.substring(0, space), space < 0 ? "" : rest.substring(space + 1));
                } else if (line.startsWith("lms_sync_")) {
                    families.add(line.substring(0, line.indexOf('{') < 0 ? line.indexOf(' ') : line.indexOf('{'))
                            .replaceAll("_total$", ""));
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    assertThat(value).as(line).isNotNaN().isNotNegative();
                }
            }
            assertThat(families).as("lms-sync's meters").hasSizeGreaterThan(20);
            assertThat(help.keySet().stream().map(name -> name.replaceAll("_total$", "")).toList())
                    .as("every lms_sync_* meter has a HELP line").containsAll(families);
            assertThat(help).as("a HELP text says what the meter is").allSatisfy((name, text) ->
                    assertThat(text).as(name).isNotBlank());
            assertThat(metrics).as("the JVM's and the process's meters are bound").contains("jvm_memory_used_bytes{",
                    "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds");

            String moocitStream = "stream=\"moocit-course-completions\"";
            String absorbStream = "stream=\"absorb-course-enrollments\"";
            assertThat(sample(metrics, "lms_sync_has_succeeded", moocitStream)).isEqualTo(1.0);
            assertThat(sample(metrics, "lms_sync_last_success_timestamp_seconds", moocitStream))
                    .isGreaterThan(now.getEpochSecond() - 1.0);
            assertThat(sample(metrics, "lms_sync_has_succeeded", absorbStream)).isZero();
            assertThat(sample(metrics, "lms_sync_last_success_timestamp_seconds", absorbStream)).isZero();
            // no cursor yet: the lag is the whole history the backfill has to read (absorb.start-date, 200 days ago)
            assertThat(sample(metrics, "lms_sync_cursor_lag_seconds", absorbStream))
                    .isBetween(200 * 86400.0, 200 * 86400.0 + 120);
            assertThat(metrics).as("a snapshot stream has no cursor to lag").doesNotContain(
                    "lms_sync_cursor_lag_seconds{" + moocitStream);
            assertThat(metrics).contains("lms_sync_state_read_failures_total 0.0");
        }
    }

    @Test
    void theServiceIsNotReadyWhileItsDatabaseRefusesConnectionsAndReadyAgainAfter() throws Exception {
        int port = freePort();
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).onPostgres()
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        String url = service.settings.get("sync.jdbc.url");
        String database = url.substring(url.lastIndexOf('/') + 1);
        String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";

        try (LmsSync running = service.service(true).start()) {
            assertThat(fetch(port, "/observe/health/ready").statusCode()).isEqualTo(200);

            // the database turns every connection away, as one being restarted or failed over does
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, "postgres", "");
                    java.sql.Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            }
            try {
                HttpResponse<String> ready = fetch(port, "/observe/health/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
                assertThat(ready.body()).contains("{\"name\":\"database\",\"status\":\"DOWN\",\"message\":"
                        + "\"cannot reach the database (").doesNotContain(url);
                assertThat(fetch(port, "/observe/health/live").statusCode()).as("alive: a restart would not help")
                        .isEqualTo(200);
            } finally {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, "postgres", "");
                        java.sql.Statement s = c.createStatement()) {
                    s.execute("ALTER DATABASE " + database + " WITH ALLOW_CONNECTIONS true");
                }
            }
            HttpResponse<String> again = fetch(port, "/observe/health/ready");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        }
    }

    @Test
    void deletionsHeldForAnOperatorShowInHealthAndMetricsWithoutMakingTheVendorUnready() throws Exception {
        int port = freePort();
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl())
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,course-v1:A,1", "ben,course-v1:A,0.5", "cy,course-v1:A,0"))));

        try (LmsSync running = service.service(true).start()) {
            assertThat(running.runOnce()).isZero();
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson("[]")));
            assertThat(running.runOnce()).isEqualTo(3);

            HttpResponse<String> health = fetch(port, "/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("{\"name\":\"source-moocit\",\"status\":\"UP\",\"message\":"
                    + "\"moocit-course-completions holds 3 deletion(s) for an operator\"}");
            assertThat(fetch(port, "/observe/metrics").body()).contains(
                    "lms_sync_held_deletions{source=\"moocit\",stream=\"moocit-course-completions\"} 3.0");
        }
    }

    @Test
    void theManagementPortAnswersOnLoopbackAndRefusesEveryOtherAddressOfTheMachine() throws Exception {
        Optional<InetAddress> outside = NetworkInterface.networkInterfaces()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (Exception e) { return false; } })
                .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
        assumeTrue(outside.isPresent(), "the machine has an address besides loopback");
        int port = freePort();
        // camel.management.host as application.properties has it
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl())
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));

        try (LmsSync running = service.service(true).start()) {
            assertThat(fetch(port, "/observe/health/live").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(outside.get(), port), 2000);
                }
            }).as("%s:%d", outside.get(), port).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void healthNamesNoLearnerEmailAndNoSecretThatAFailureCarried() throws Exception {
        int port = freePort();
        Path users = Files.writeString(dir.resolve("users.csv"), "learner,thrive_user_id\nana.lopez@example.com,U-1\n");
        Path contents = Files.writeString(dir.resolve("content.csv"), "content,thrive_content_id\nmoocit:c1,C-1\n");
        TestService service = ThriveSimulator.pushedToBy(TestService.readingMoocit(dir, moocit.baseUrl()), moocit.baseUrl(),
                        users, contents)
                .with("sync.sinks", "jdbc,thrive")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana.lopez,c1,1"))));
        moocit.stubFor(post(urlPathEqualTo("/oauth2/token/" + ThriveSimulator.TENANT)).willReturn(okJson(
                "{\"access_token\":\"thrive-access-token-77\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        // Thrive refuses the push and, as APIs do, echoes what it was sent: the stream fails with that message
        moocit.stubFor(post(urlPathEqualTo("/rest/v1/learning/completions")).willReturn(aResponse().withStatus(400)
                .withBody("{\"message\":\"user ana.lopez@example.com is suspended (client " + ThriveSimulator.CLIENT_ID
                        + ":" + ThriveSimulator.CLIENT_SECRET + ", mailto:ana.lopez%40example.com)\"}")));

        try (LmsSync running = service.service(true).start()) {
            assertThat(running.runOnce()).isEqualTo(1);

            HttpResponse<String> health = fetch(port, "/observe/health?exposureLevel=full&stackTrace=true&data=true");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("moocit-course-completions failed: Thrive did not take", "is suspended")
                    .doesNotContain("ana.lopez@", "lopez%40", "example.com")
                    .doesNotContain(ThriveSimulator.CLIENT_SECRET, "thrive-access-token-77");
        }
    }

    /** Addresses a vendor may echo: in another script, with an IDN domain, and percent-encoded (UTF-8 and all). */
    private static final List<String> ADDRESSES = List.of("jürgen@müller.de", "用户@例子.广告",
            "j%C3%BCrgen%40m%C3%BCller.de");
    /** Pieces of those addresses, none of which may show. */
    private static final List<String> PIECES = List.of("jürgen", "müller", "用户", "例子", "广告", "C3%BC", "%40",
            "BCrgen");

    /** Every name and text value of a JSON answer, unescaped: what a reader of it sees, however it was escaped. */
    private static String shown(String json) throws Exception {
        StringBuilder text = new StringBuilder();
        java.util.ArrayDeque<com.fasterxml.jackson.databind.JsonNode> nodes = new java.util.ArrayDeque<>();
        nodes.add(io.lmssync.record.Json.MAPPER.readTree(json));
        while (!nodes.isEmpty()) {
            com.fasterxml.jackson.databind.JsonNode node = nodes.poll();
            node.fieldNames().forEachRemaining(name -> text.append(name).append('\n'));
            node.forEach(nodes::add);
            if (node.isValueNode()) {
                text.append(node.asText()).append('\n');
            }
        }
        return text.toString();
    }

    @Test
    void healthAndTheStatusPageShowNoAddressAFailingVendorEchoedInAnyScriptOrPercentEncoded() throws Exception {
        int port = freePort();
        Path users = Files.writeString(dir.resolve("users.csv"), "learner,thrive_user_id\nana@example.com,U-1\n");
        Path contents = Files.writeString(dir.resolve("content.csv"), "content,thrive_content_id\nmoocit:c1,C-1\n");
        TestService service = ThriveSimulator.pushedToBy(TestService.readingMoocit(dir, moocit.baseUrl()), moocit.baseUrl(),
                        users, contents)
                .with("sync.sinks", "jdbc,thrive")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));
        // MOOCit refuses and names the learners it did not like; the last address straddles where lms-sync cuts a
        // refusal short (200 characters)
        String named = String.join(", ", ADDRESSES) + " are not enrolled";
        String refusal = named + " " + "x".repeat(195 - named.length()) + " 用户@例子.广告 again";
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(aResponse().withStatus(400)
                .withBody("{\"message\":\"" + refusal + "\"}")));

        try (LmsSync running = service.service(true).start()) {
            assertThat(running.runOnce()).isEqualTo(1);
            String health = shown(fetch(port, "/observe/health?exposureLevel=full&data=true").body());
            assertThat(health).contains("moocit-course-completions failed: moocit refused", "are not enrolled");
            assertThat(health).doesNotContain(PIECES);

            // then MOOCit answers, and Thrive refuses the push echoing the addresses (as they were sent, not cut)
            moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                    MoocitSyncTest.answer("ana,c1,1"))));
            moocit.stubFor(post(urlPathEqualTo("/oauth2/token/" + ThriveSimulator.TENANT)).willReturn(okJson(
                    "{\"access_token\":\"thrive-access-token-77\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
            moocit.stubFor(post(urlPathEqualTo("/rest/v1/learning/completions")).willReturn(aResponse()
                    .withStatus(400).withBody("{\"message\":\"" + named + "\"}")));
            assertThat(running.runOnce()).isEqualTo(1);

            health = shown(fetch(port, "/observe/health?exposureLevel=full&stackTrace=true&data=true").body());
            assertThat(health).contains("moocit-course-completions failed: Thrive did not take", "are not enrolled");
            assertThat(health).doesNotContain(PIECES);
            String status = shown(fetch(port, "/observe/status.json").body());
            assertThat(status).contains("moocit refused", "Thrive did not take", "<e-mail>, <e-mail>, <e-mail> are "
                    + "not enrolled");
            assertThat(status).doesNotContain(PIECES);
        }
    }
}

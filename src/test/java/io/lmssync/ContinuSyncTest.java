package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.lmssync.sync.RunOnce;
import io.lmssync.sync.SourceRuns;
import io.lmssync.sync.SyncRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Continu end to end: the real service against a simulated Continu account (limits, tokens), into a real H2. */
class ContinuSyncTest {

    private final ContinuSimulator continu = new ContinuSimulator();

    @RegisterExtension
    final WireMockExtension wiremock = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(continu)).build();

    @TempDir
    Path dir;

    private TestService service;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() throws Exception {
        wiremock.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        service = ContinuSimulator.readBy(new TestService(dir), wiremock.baseUrl(), now)
                .with("continu.requests-per-minute", "1000")
                .with("continu.rate-period-ms", "1000")
                .with("sync.rate-limit.initial-backoff", "PT0.2S")
                .with("sync.rate-limit.max-backoff", "PT1S");
        roster(30);
    }

    private List<String> roster(int learners) throws Exception {
        List<String> emails = IntStream.range(0, learners).mapToObj(i -> "learner" + i + "@example.com").toList();
        Path file = dir.resolve("roster.csv");
        Files.writeString(file, "name,email,team\n" + String.join("\n", emails.stream().map(e -> "X," + e + ",T").toList()));
        service.with("continu.roster-file", file.toString());
        return emails;
    }

    private long records(String type) throws Exception {
        return service.count("SELECT COUNT(*) FROM learning_record WHERE record_type = '" + type + "'");
    }

    private long sum(String column) throws Exception {
        return service.count("SELECT COALESCE(SUM(" + column + "), 0) FROM sync_run");
    }

    @Test
    void aBackfillDeliversEveryRecordOnceWindowByWindowAndTheNextRunReadsOnlyTheNewWindow() throws Exception {
        continu.fill(roster(30), now, 3); // learner i updated 3(i+1) days ago: 30 per stream over 90 days

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        for (String type : List.of("assessment", "assignment", "track", "workshop")) {
            assertThat(records(type)).as(type).isEqualTo(30);
        }
        assertThat(service.query("SELECT stream, COUNT(*) AS windows, CAST(SUM(records) AS BIGINT) AS records FROM sync_window "
                + "WHERE status = 'done' GROUP BY stream ORDER BY stream")).containsExactly(
                        Map.of("stream", "continu-assessments", "windows", 4L, "records", 30L),
                        Map.of("stream", "continu-assignments", "windows", 4L, "records", 30L),
                        Map.of("stream", "continu-tracks", "windows", 4L, "records", 30L),
                        Map.of("stream", "continu-workshops", "windows", 4L, "records", 30L));
        assertThat(continu.served.get()).as("4 streams x 4 windows x 3 roster batches").isEqualTo(48);
        assertThat(sum("inserted")).isEqualTo(120);
        assertThat(service.query("SELECT status, error FROM sync_run")).allSatisfy(
                r -> assertThat(r).containsEntry("status", "succeeded"));
        Instant cursor = ((java.time.OffsetDateTime) service.query(
                "SELECT position FROM sync_cursor WHERE stream = 'continu-tracks'").get(0).get("position")).toInstant();
        assertThat(cursor).isBetween(now.truncatedTo(ChronoUnit.SECONDS), Instant.now());

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(continu.served.get()).as("one new window of 3 batches per stream").isEqualTo(48 + 12);
        assertThat(sum("inserted")).isEqualTo(120);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
    }

    @Test
    void aRosterOfAThousandIsSentInBatchesOneRequestEach() throws Exception {
        List<String> emails = roster(1000);
        continu.fill(emails, now.minus(1, ChronoUnit.DAYS), 0);
        service.with("continu.roster-batch-size", "50").with("continu.start-date",
                now.minus(10, ChronoUnit.DAYS).toString());

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        List<LoggedRequest> calls = wiremock.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/v1/completion/.*")));
        assertThat(calls).hasSize(4 * 20).allSatisfy(
                call -> assertThat(call.queryParameter("for_users").firstValue().split(",")).hasSize(50));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(4000);
    }

    @Test
    void pastTheLimitWith429AndRetryAfterEveryRecordArrivesOnce() throws Exception {
        continu.fill(roster(30), now, 3);
        continu.limit = 6;
        continu.periodMillis = 500;
        continu.retryAfter = "1";

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(continu.rateLimited.get()).as("the simulator refused calls").isPositive();
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
        assertThat(sum("inserted")).isEqualTo(120);
        assertThat(sum("updated") + sum("dead_lettered")).isZero();
    }

    @Test
    void pastTheLimitWith429AndNoRetryAfterTheBackoffWaitsAndEveryRecordArrivesOnce() throws Exception {
        continu.fill(roster(30), now, 3);
        continu.limit = 6;
        continu.periodMillis = 500;

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(continu.rateLimited.get()).isPositive();
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
        assertThat(sum("inserted")).isEqualTo(120);
    }

    @Test
    void configuredForExactlyTheBudgetOfAVendorCountingInASlidingWindowNoRequestIsRefused() throws Exception {
        continu.fill(roster(30), now, 3);
        continu.limit = 8;
        continu.periodMillis = 1000;
        service.with("continu.requests-per-minute", "8").with("continu.rate-period-ms", "1000");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(continu.rateLimited.get()).as("429s").isZero();
        assertThat(continu.busiestWindow()).isLessThanOrEqualTo(8);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
    }

    @Test
    void anotherClientOnTheAccountIsLeftItsShareOfTheBudgetBeforeTheVendorRefusesAndTheAccountShowsBothCounts()
            throws Exception {
        continu.fill(roster(30), now, 3);
        continu.limit = 8;
        continu.periodMillis = 1000;
        continu.othersPerPeriod = 2; // always 2 of the vendor's 8 taken by someone else
        int port = freePort();
        service.with("continu.requests-per-minute", "8").with("continu.rate-period-ms", "1000")
                .with("camel.main.jmx-enabled", "true")
                .with("camel.management.enabled", "true").with("camel.management.port", String.valueOf(port));

        try (LmsSync running = service.service(true).start()) {
            assertThat(running.runOnce()).isEqualTo(RunOnce.OK);

            assertThat(continu.rateLimited.get()).as("429s").isZero();
            assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
            javax.management.ObjectName account = new javax.management.ObjectName("lms-sync:type=account,name=continu");
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            assertThat((Long) jmx.getAttribute(account, "SourceCountInWindow"))
                    .as("the vendor's count: at least the last request and the other client's 2").isGreaterThanOrEqualTo(3);
            assertThat(jmx.getAttribute(account, "RequestsInWindow")).isInstanceOf(Long.class);
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("lms_sync_account_budget{account=\"continu\"} 8.0",
                    "lms_sync_account_requests_in_window{account=\"continu\",counted_by=\"lms-sync\"}",
                    "lms_sync_account_requests_in_window{account=\"continu\",counted_by=\"source\"} "
                            + jmx.getAttribute(account, "SourceCountInWindow") + ".0",
                    "lms_sync_account_rate_limited_total{account=\"continu\"} 0.0");
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aTokenThatStopsWorkingMidRunIsRenewedOnceAndTheRunGoesOn() throws Exception {
        continu.fill(roster(30), now, 3);
        continu.revokeAfter = 10;

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(continu.tokensIssued.get()).isEqualTo(2);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
    }

    @Test
    void aSecond401InARowFailsTheStreamNamingTheCredentialsAndMovesNoCursor() throws Exception {
        continu.fill(roster(30), now, 3);
        continu.acceptTokens = false;

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(continu.tokensIssued.get()).as("the first token, then one renewal per stream").isEqualTo(5);
        assertThat(service.count("SELECT COUNT(*) FROM sync_run WHERE status = 'failed'"))
                .as("each stream tried on its own").isEqualTo(4);
        assertThat(service.query("SELECT DISTINCT error FROM sync_run")).containsExactly(Map.of("error",
                "Continu rejected the credentials (HTTP 401): check continu.client-id (CONTINU_CLIENT_ID), "
                        + "continu.client-secret (CONTINU_CLIENT_SECRET)"));
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();
    }

    @Test
    void aBackfillStoppedMidWindowResumesAtThatWindowAndRedoesNoFinishedOne() throws Exception {
        continu.fill(roster(30), now, 3);
        Instant third = Instant.parse(service.settings.get("continu.start-date")).plus(60, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS);
        continu.slowFrom = third.getEpochSecond();
        continu.slowMillis = 4000;
        service.with("camel.main.shutdown-timeout", "1");

        LmsSync first = service.service(true).start();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(first::runOnce);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.count(
                "SELECT COUNT(*) FROM sync_window WHERE stream = 'continu-assessments' AND status = 'running'") == 1);
        first.close(); // stopped while window 3 of assessments waits for its answer
        run.handle((code, error) -> code).get();
        assertThat(service.query("SELECT status FROM sync_window WHERE stream = 'continu-assessments' "
                + "ORDER BY window_start")).extracting(r -> r.get("status")).containsExactly("done", "done", "running");
        continu.slowFrom = -1;

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        // the two windows done are not read again; the run resumes at the cursor (window 3's start), less the
        // lookback (2 hours), in windows of 30 days up to now
        Instant lookedBack = third.minus(2, ChronoUnit.HOURS);
        assertThat(service.query("SELECT window_start, status, attempts FROM sync_window "
                + "WHERE stream = 'continu-assessments' ORDER BY window_start"))
                .extracting(r -> ((java.time.OffsetDateTime) r.get("window_start")).toInstant() + " " + r.get("status")
                        + "/" + r.get("attempts"))
                .containsExactly(third.minus(60, ChronoUnit.DAYS) + " done/1", third.minus(30, ChronoUnit.DAYS)
                        + " done/1", lookedBack + " done/1", third + " abandoned/1",
                        lookedBack.plus(30, ChronoUnit.DAYS) + " done/1");
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(120);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE record_type = 'assessment'"))
                .isEqualTo(30);
    }

    @Test
    void reconciliationTurnsExactlyTheRecordsGoneAtTheVendorIntoTombstones() throws Exception {
        continu.fill(roster(30), now, 3);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        continu.byStream.get("assessments").removeIf(c -> c.id().equals("assessments-4") || c.id().equals("assessments-20"));
        continu.byStream.get("tracks").removeIf(c -> c.id().equals("tracks-0"));

        try (LmsSync running = service.service(true).start()) {
            running.context().getRegistry().lookupByNameAndType("sourceRuns", SourceRuns.class)
                    .run("continu", SyncRun.Mode.RECONCILE);
        }

        assertThat(service.query("SELECT record_id FROM learning_record WHERE is_deleted ORDER BY record_id"))
                .extracting(r -> r.get("record_id")).containsExactly("continu:assessment:assessments-20",
                        "continu:assessment:assessments-4", "continu:track:tracks-0");
        assertThat(sum("deleted")).isEqualTo(3);
        assertThat(service.count("SELECT COUNT(*) FROM sync_window WHERE stream LIKE '%#reconcile'")).isEqualTo(16);
    }

    @Test
    void recordsTheVendorShowsHalfAnHourLateArriveOnTheNextRunWithTheDefaults() throws Exception {
        List<String> emails = roster(30);
        continu.fill(emails, now.minus(3, ChronoUnit.DAYS), 3);
        // updated 30 minutes ago, but the vendor does not show it yet (replica lag, slow indexing)
        continu.byStream.get("tracks").add(new ContinuSimulator.Completion("late-1", emails.get(0),
                now.minus(30, ChronoUnit.MINUTES).getEpochSecond()));
        continu.hidden.add("late-1");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(records("track")).isEqualTo(30);

        continu.hidden.clear(); // half an hour later it shows
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT source_record_id FROM learning_record WHERE record_type = 'track' "
                + "AND source_record_id = 'late-1'")).hasSize(1);
        assertThat(records("track")).isEqualTo(31);
        assertThat(sum("inserted")).as("the re-read overlap costs nothing").isEqualTo(121);
    }

    @Test
    void aReconciliationFiringWithTheHourlySyncRunsRightAfterItAndNeitherIsSkipped() throws Exception {
        continu.fill(roster(30), now, 3);
        continu.slowFrom = Instant.parse(service.settings.get("continu.start-date")).truncatedTo(ChronoUnit.SECONDS)
                .getEpochSecond();
        continu.slowMillis = 1500; // the first window's answers are slow: the two runs overlap
        java.time.ZonedDateTime at = java.time.ZonedDateTime.now(java.time.ZoneOffset.systemDefault()).plusSeconds(8);
        String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * ?";
        service.with("continu.cron", cron).with("continu.reconcile-cron", cron);

        try (LmsSync running = service.service(false).start()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> service.count(
                    "SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded'") == 8);
        }

        assertThat(service.query("SELECT stream, mode FROM sync_run ORDER BY stream, mode"))
                .extracting(r -> r.get("stream") + " " + r.get("mode")).containsExactly(
                        "continu-assessments reconcile", "continu-assessments sync",
                        "continu-assignments reconcile", "continu-assignments sync",
                        "continu-tracks reconcile", "continu-tracks sync",
                        "continu-workshops reconcile", "continu-workshops sync");
        assertThat(records("assessment")).isEqualTo(30);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isZero();
    }

    @Test
    void theReportingApiSharesTheBudgetAndDeliversContentCompletions() throws Exception {
        for (int i = 0; i < 25; i++) {
            continu.reporting.add(new ContinuSimulator.Completion("cc-" + i, "l" + i + "@example.com",
                    now.minus(4L * i + 1, ChronoUnit.DAYS).getEpochSecond()));
        }
        service.with("continu.enabled", "false").with("continu-reporting.enabled", "true")
                .with("continu-reporting.base-url", wiremock.baseUrl() + "/api/v1")
                .with("continu-reporting.token", "reporting-token")
                .with("continu-reporting.start-date", now.minus(100, ChronoUnit.DAYS).toString())
                // sent only where a group's settings ask for it (the guidance's own example sends none)
                .with("continu-reporting.content-completion.range-target", "updated_date");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(records("content_completion")).isEqualTo(25);
        List<LoggedRequest> posts = wiremock.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
                        .urlPathMatching("/api/v1/reports/content-completion/\\d+/\\d+")));
        assertThat(posts).hasSize(4).allSatisfy(p -> assertThat(p.getBodyAsString())
                .contains("\"email\":true", "\"content\":true", "\"range_target\":\"updated_date\"")
                .contains("\"completion_id\":true").as("the id the mapper needs is asked for")
                .doesNotContain("\"assignment\""));
    }
    @Test
    void aLearnerContinuRefusesIsLeftOutByRosterLineAndEveryOtherLearnersRecordsArrive() throws Exception {
        List<String> emails = roster(30); // batches of 10: learners 0-9, 10-19, 20-29
        continu.fill(emails, now, 3);
        continu.unknownLearners.add(emails.get(13));
        ch.qos.logback.classic.Logger plan = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(io.lmssync.source.RequestPlan.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        plan.addAppender(logged);
        try {
            assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        } finally {
            plan.detachAppender(logged);
        }

        // 29 learners' completions in each of the four streams; the refused learner's none, and no other lost
        for (String type : List.of("assessment", "assignment", "track", "workshop")) {
            assertThat(records(type)).as(type).isEqualTo(29);
        }
        assertThat(service.query("SELECT COUNT(*) AS n FROM learning_record WHERE learner_email = '" + emails.get(13)
                + "'").get(0).get("n")).isEqualTo(0L);
        List<String> lines = logged.list.stream().map(e -> e.getFormattedMessage()).toList();
        assertThat(lines).filteredOn(l -> l.contains("left out of this run")).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains("roster line 15", "HTTP 404").doesNotContain("@"));
        assertThat(service.query("SELECT stream, status FROM sync_run ORDER BY stream"))
                .extracting(r -> r.get("status")).containsOnly("succeeded");
        // found once a run: a window after the first asks without the learner (4 streams x 4 windows x 3 batches,
        // plus the halves of one batch split down to one learner, once a stream: 10 -> 5 -> 3 -> 2 -> 1)
        assertThat(continu.served.get()).isLessThanOrEqualTo(4 * 4 * 3 + 4 * 8);
    }

    @Test
    void aBatchContinuRefusesLearnerByLearnerFailsTheStreamRatherThanSkipEveryone() throws Exception {
        List<String> emails = roster(10);
        continu.fill(emails, now, 3);
        continu.unknownLearners.addAll(emails);

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(service.query("SELECT error FROM sync_run WHERE stream = 'continu-assessments'").get(0).get("error"))
                .asString().contains("refused each of the 10 partitions", "continu.base-url").doesNotContain("@");
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).as("no cursor moved").isZero();
    }

    @Test
    void aFirstReportingBackfillStartsAtUnixTimeZeroAsksForTheIdsAndSendsARangeTargetOnlyWhereAsked() throws Exception {
        continu.reporting.add(new ContinuSimulator.Completion("cc-1", "ana@example.com",
                now.minus(3, ChronoUnit.DAYS).getEpochSecond()));
        service.with("continu.enabled", "false").with("continu-reporting.enabled", "true")
                .with("continu-reporting.base-url", wiremock.baseUrl() + "/api/v1")
                .with("continu-reporting.token", "reporting-token")
                .with("continu-reporting.start-date", "")
                .with("continu-reporting.window", "P3650D");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(records("content_completion")).isEqualTo(1);
        List<LoggedRequest> posts = wiremock.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
                        .urlPathMatching("/api/v1/reports/content-completion/\\d+/\\d+")));
        assertThat(posts.get(0).getUrl()).as("the guidance's first backfill: from = 0")
                .startsWith("/api/v1/reports/content-completion/0/");
        assertThat(continu.reportBodies).allSatisfy(body -> assertThat(body)
                .contains("\"completion_id\":true", "\"updated_date\":true", "\"user_filter\":{}")
                .doesNotContain("range_target"));
        assertThat(service.query("SELECT source_record_id, source_updated_at FROM learning_record").get(0))
                .containsEntry("source_record_id", "cc-1");
    }
    @Test
    void aCursorAheadOfTheDatabasesClockIsReadFromNowRatherThanWaitedFor() throws Exception {
        List<String> emails = roster(10);
        continu.fill(emails, now, 3);
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        // a node whose clock ran two days ahead moved the cursors there
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(service.jdbcUrl(), "sa", "");
                java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE sync_cursor SET position = DATEADD('DAY', 2, CURRENT_TIMESTAMP)");
        }
        continu.byStream.get("assessments").add(new ContinuSimulator.Completion("late-1", emails.get(0),
                now.minusSeconds(600).getEpochSecond()));
        int served = continu.served.get();

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(continu.served.get() - served).as("a window read, not none").isPositive();
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE source_record_id = 'late-1'"))
                .as("a change since the cursor, read now rather than two days from now").isEqualTo(1);
    }
}

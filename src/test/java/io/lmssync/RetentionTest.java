package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What sync.retention (P90D) no longer keeps is pruned at start-up and on its schedule; what is still needed stays. */
class RetentionTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String STREAM = "moocit-course-completions";
    private static final OffsetDateTime OLD = Instant.now().minus(100, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC);
    private static final OffsetDateTime RECENT = Instant.now().minus(10, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TestService service;

    @BeforeEach
    void aServiceThatRanOnce() throws Exception {
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,c1,1"))));
        service = database(TestService.readingMoocit(dir, moocit.baseUrl()));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
    }

    /** The database the service keeps its state in: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection c = DriverManager.getConnection(service.settings.get("sync.jdbc.url"),
                service.settings.get("sync.jdbc.username"), service.settings.get("sync.jdbc.password"));
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private void run(String stream, String status, OffsetDateTime started, String error) throws SQLException {
        execute("INSERT INTO sync_run (source, stream, started_at, ended_at, status, error) VALUES (?, ?, ?, ?, ?, ?)",
                "moocit", stream, started, started.plusMinutes(5), status, error);
    }

    private void window(String start, String status, OffsetDateTime started, OffsetDateTime finished)
            throws SQLException {
        execute("INSERT INTO sync_window (stream, window_start, window_end, status, attempts, records, started_at, "
                + "finished_at) VALUES ('continu-tracks', ?, ?, ?, 1, 0, ?, ?)", OffsetDateTime.parse(start),
                OffsetDateTime.parse(start).plusDays(30), status, started, finished);
    }

    private void audit(String operation, OffsetDateTime at) throws SQLException {
        execute("INSERT INTO control_audit (at, stream, operation, node) VALUES (?, ?, ?, 'n')", at, STREAM, operation);
    }

    private void deadLetter(String stream, String hash, OffsetDateTime lastSeen) throws SQLException {
        execute("INSERT INTO dead_letter (stream, raw_hash, reason, raw, first_seen_at, last_seen_at, last_run_id, "
                + "times_seen) VALUES (?, ?, 'bad', '{}', ?, ?, 1, 1)", stream, hash.repeat(64), lastSeen, lastSeen);
    }

    private void pushed(String recordId, OffsetDateTime at, Boolean deleted, OffsetDateTime indexed)
            throws SQLException {
        // each record its own Thrive completion (push_done is keyed by Thrive's user, content and time)
        execute("INSERT INTO push_done (record_id, thrive_user_id, thrive_content_id, completed_at, http_status, "
                + "pushed_at) VALUES (?, ?, 'C', '2025-01-01T00:00:00Z', 201, ?)", recordId, "U-" + recordId, at);
        execute("INSERT INTO push_completion_time (record_id, completed_at) VALUES (?, '2025-01-01T00:00:00Z')",
                recordId);
        if (deleted != null) {
            execute("INSERT INTO record_index (record_id, stream, content_hash, is_deleted, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?)", recordId, STREAM, "0".repeat(64), deleted, indexed);
        }
    }

    private List<Object> column(String sql) throws SQLException {
        return service.query(sql).stream().map(row -> row.values().iterator().next()).toList();
    }

    @Test
    void aStartPrunesWhatEndedBeforeTheRetentionAndKeepsWhatARunReplayOrPushStillNeeds() throws Exception {
        run(STREAM, "succeeded", OLD, "old-succeeded");
        run(STREAM, "failed", OLD.plusHours(1), "old-failed");
        run(STREAM, "running", OLD.plusHours(2), "old-running");
        run("continu-tracks", "succeeded", OLD, "old-but-the-last-of-its-stream");
        run(STREAM, "succeeded", RECENT, "recent");
        window("2020-01-01T00:00:00Z", "done", OLD, OLD);
        window("2020-01-31T00:00:00Z", "abandoned", OLD, null);
        window("2020-03-01T00:00:00Z", "running", OLD, null);
        window("2020-03-31T00:00:00Z", "done", RECENT, RECENT);
        audit("old-pause", OLD);
        audit("recent-pause", RECENT);
        deadLetter(STREAM, "a", OLD);
        deadLetter(STREAM + "/thrive", "b", OLD);
        deadLetter(STREAM, "c", RECENT);
        pushed("deleted-long-ago", OLD, true, OLD);
        pushed("deleted-lately", OLD, true, RECENT);
        pushed("live", OLD, false, OLD);
        pushed("not-indexed-yet", OLD, null, null);
        pushed("deleted-pushed-lately", RECENT, true, OLD);

        try (LmsSync started = service.service(true).start()) {
            // pruned while it started
        }

        assertThat(column("SELECT error FROM sync_run WHERE error IS NOT NULL ORDER BY id")).containsExactly(
                "old-running", "old-but-the-last-of-its-stream", "recent");
        assertThat(service.count("SELECT COUNT(*) FROM sync_run WHERE stream = '" + STREAM + "' AND error IS NULL"))
                .as("the run of the set-up").isEqualTo(1);
        assertThat(column("SELECT status FROM sync_window ORDER BY window_start")).containsExactly("running", "done");
        assertThat(column("SELECT operation FROM control_audit")).containsExactly("recent-pause");
        assertThat(column("SELECT stream FROM dead_letter ORDER BY stream, last_seen_at")).containsExactly(STREAM,
                STREAM + "/thrive");
        assertThat(column("SELECT record_id FROM push_done ORDER BY record_id")).containsExactly(
                "deleted-lately", "deleted-pushed-lately", "live", "not-indexed-yet");
        // a completion time a tombstone kept goes with its push, once the record is deleted longer than the retention
        assertThat(column("SELECT record_id FROM push_completion_time ORDER BY record_id")).containsExactly(
                "deleted-lately", "deleted-pushed-lately", "live", "not-indexed-yet");
    }

    @Test
    void theRunningServicePrunesOnItsSchedule() throws Exception {
        try (LmsSync running = service.with("sync.retention.cron", "* * * * * ?").service(false).start()) {
            audit("old-pause", OLD);
            audit("recent-pause", RECENT);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    column("SELECT operation FROM control_audit")).containsExactly("recent-pause"));
        }
    }

    @Test
    void aRetentionUnderADayIsRefusedNamingTheKey() {
        service.with("sync.retention", "PT1H");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (LmsSync s = service.service(true)) {
                s.start();
            }
        }).hasStackTraceContaining("sync.retention must be at least a day (P1D), not PT1H");
    }
}

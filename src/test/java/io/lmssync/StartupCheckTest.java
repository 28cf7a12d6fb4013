package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong setting stops the service at start-up, with a message that names the key; nothing runs. */
class StartupCheckTest {

    @TempDir
    Path dir;

    private TestService service;

    @BeforeEach
    void setUp() {
        service = TestService.readingMoocit(dir, "http://127.0.0.1:9");
    }

    private void assertStartFails(String messagePart) {
        assertThatThrownBy(() -> {
            try (LmsSync s = service.service(true)) {
                s.start();
            }
        }).satisfies(e -> assertThat(rootConfigurationError(e)).as("configuration error in %s", e)
                .isNotNull().extracting(Throwable::getMessage).asString().contains(messagePart));
    }

    private static ConfigurationException rootConfigurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }

    @Test
    void aMissingTokenForAnEnabledVendorNamesTheKeyAndItsVariable() {
        service.with("moocit.token", "");
        assertStartFails("moocit.token is not set: MOOCit is enabled (moocit.enabled=true) and needs it; "
                + "set the environment variable MOOCIT_TOKEN");
    }

    @Test
    void aManagementPortAnotherProgramHoldsStopsTheStartNamingTheKeyInsteadOfRunningUnmonitored() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            service.with("camel.management.enabled", "true")
                    .with("camel.management.port", String.valueOf(taken.getLocalPort()));
            assertStartFails("the management server cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (Address already in use): another program, often another lms-sync, holds the port. Stop it,"
                    + " choose a free port with camel.management.port (CAMEL_MANAGEMENT_PORT), or turn the monitoring"
                    + " off with camel.management.enabled=false");
        }
    }

    @Test
    void aMistypedSettingOnTheCommandLineStopsTheStartWithExit2NamingItAndTheNearestKey() throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--once"));
        service.settings.forEach((key, value) -> args.add(key + "=" + value));
        args.add("sync.delete-guard.max-fraktion=0.5");

        assertThat(Application.run(args.toArray(String[]::new))).isEqualTo(RunOnce.NOT_RUN);
        service.with("sync.delete-guard.max-fraktion", "0.5");
        assertStartFails("unknown setting sync.delete-guard.max-fraktion: lms-sync reads no such key (did you mean "
                + "sync.delete-guard.max-fraction?) (on the command line)");
        assertThat(dir.resolve("db.mv.db")).as("nothing touched the database").doesNotExist();
    }

    @Test
    void aMistypedSettingInTheFileAndAKeyNoLongerReadAreNamedWithWhatToDo() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("settings.properties"), java.nio.file.Files
                .readString(Path.of("application.properties")) + "\nmoocit.cronn = 0 0 1 * * ?\n");
        assertThatThrownBy(() -> new LmsSync(file, service.settings)).hasMessage("unknown setting moocit.cronn: "
                + "lms-sync reads no such key (did you mean moocit.cron?) (" + file + ")");
        service.with("continu-reporting.range-target", "updated_date");
        assertStartFails("continu-reporting.range-target is no longer read: range_target is sent only where a group "
                + "asks for it: continu-reporting.<group>.range-target; remove continu-reporting.range-target");
        service.settings.remove("continu-reporting.range-target");
        service.with("continu-reporting.content-completion.range-target", "updated_date");
        service.with("absorb.one-run-at-a-time", "true").with("moocit.one-run-at-a-time", "false");
        try (LmsSync s = service.service(true)) {
            assertThat(s.start().runOnce()).as("a group's own key, and an account's, are known").isNotEqualTo(
                    RunOnce.NOT_RUN);
        }
    }

    @Test
    void aBadValueStopsTheStartBeforeAnythingTouchesTheDatabase() {
        service.with("sync.delete-guard.max-fraction", "1.5");
        assertStartFails("sync.delete-guard.max-fraction must be a fraction between 0 and 1");
        assertThat(dir.resolve("db.mv.db")).as("no database file made, no migration run").doesNotExist();
    }

    @Test
    void anUnknownSinkIsNamed() {
        service.with("sync.sinks", "jdbc,s3");
        assertStartFails("sync.sinks names an unknown sink 's3'");
    }

    @Test
    void aDatabaseOtherThanH2OrPostgresqlIsNamedWithoutThePasswordTheUrlMayHold() {
        service.with("sync.jdbc.url", "jdbc:mysql://db.example.com/lms?password=hunter2");
        assertStartFails("sync.jdbc.url (SYNC_JDBC_URL) must be an H2 (jdbc:h2:...) or PostgreSQL "
                + "(jdbc:postgresql://host:port/database) URL, not 'jdbc:mysql:...'");
    }

    @Test
    void theThriveSinkNeedsATenantCredentialsAndReadableMappingFiles() throws Exception {
        service.with("sync.sinks", "jdbc,thrive");
        assertStartFails("thrive.tenant-id is not set");

        service.with("thrive.tenant-id", "eu-west-2_T");
        assertStartFails("thrive.api-secret is not set: thrive is in sync.sinks and needs OAuth2 client credentials "
                + "(thrive.client-id, THRIVE_CLIENT_ID, and thrive.client-secret) or the API secret; set the "
                + "environment variable THRIVE_API_SECRET");

        service.with("thrive.client-id", "client");
        assertStartFails("thrive.client-secret is not set");

        service.with("thrive.client-secret", "s3cret").with("thrive.user-map-file", dir.resolve("none.csv").toString());
        assertStartFails("thrive.user-map-file cannot be read (" + dir.resolve("none.csv"));

        java.nio.file.Path map = dir.resolve("users.csv");
        java.nio.file.Files.writeString(map, "learner,thrive_user_id\nana@example.com,U-1\nana@example.com,U-2\n");
        service.with("thrive.user-map-file", map.toString());
        assertStartFails("thrive.user-map-file (" + map + ") line 3 maps 'ana@example.com' to U-2, an earlier line to U-1");
    }

    @Test
    void aClusterNeedsPostgresql() {
        service.with("sync.cluster", "true");
        assertStartFails("sync.cluster=true needs sync.jdbc.url on PostgreSQL");
    }

    @Test
    void anUnparsableCronIsNamed() {
        service.with("moocit.cron", "every night");
        assertStartFails("moocit.cron is not a valid Quartz cron expression ('every night')");
    }

    @Test
    void anUnknownTimeZoneIsNamedRatherThanReadAsGmt() {
        service.with("sync.time-zone", "Europe/Atlantis");
        assertStartFails("sync.time-zone is not a time zone Java knows: 'Europe/Atlantis' (use UTC, or a region such as"
                + " Europe/Berlin or America/New_York)");
    }

    @Test
    void aRequestDeadlineOrAnAnswerCapThatIsNoneIsNamed() {
        service.with("moocit.request-deadline", "ten minutes");
        assertStartFails("moocit.request-deadline must be an ISO-8601 duration such as PT30S, PT1H or P30D, not "
                + "'ten minutes'");
        service.with("moocit.request-deadline", "PT0S");
        assertStartFails("moocit.request-deadline must be longer than no time at all");
        service.with("moocit.request-deadline", "PT10M").with("sync.http.max-answer-bytes", "2GB");
        assertStartFails("sync.http.max-answer-bytes must be a whole number above 0, not '2GB'");
    }

    @Test
    void aBaseUrlThatIsNotHttpIsNamed() {
        service.with("moocit.base-url", "moocit.example.com/api");
        assertStartFails("moocit.base-url is not a valid http(s) URL");
    }

    @Test
    void aChunkSizeThatIsNotANumberIsNamed() {
        service.with("sync.chunk-size", "many");
        assertStartFails("sync.chunk-size must be a whole number above 0, not 'many'");
    }

    @Test
    void aDisabledVendorNeedsNoToken() throws Exception {
        service.with("moocit.enabled", "false").with("moocit.token", "");
        try (LmsSync s = service.service(true)) {
            assertThat(s.start().context().getRoute("moocit-course-completions"))
                    .as("a disabled vendor's routes are not even created").isNull();
            assertThat(s.runOnce()).as("nothing to run").isEqualTo(RunOnce.NOT_RUN);
        }
    }

    @Test
    void theCommandLineExitsWithTwoOnAConfigurationError() {
        assertThat(Application.run("--once", "moocit.enabled=true", "moocit.token=",
                "sync.jdbc.url=jdbc:h2:file:" + dir.resolve("db"))).isEqualTo(RunOnce.NOT_RUN);
        assertThat(Application.run("--no-such-option")).isEqualTo(RunOnce.NOT_RUN);
    }

    @Test
    void versionPrintsTheProjectsVersionAndExitsZero() {
        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Application.run("--version")).isEqualTo(RunOnce.OK);
        } finally {
            System.setOut(console);
        }
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8).strip())
                .matches("lms-sync \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}

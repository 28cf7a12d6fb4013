package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The JMX control plane, driven through the platform MBeanServer as a JMX client would. */
class ControlPlaneTest {

    private static final String NEVER = "0 0 0 1 1 ? 2099";

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension absorbServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    java.nio.file.Path dir;

    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private final Instant now = Instant.now();
    private TestService service;
    private LmsSync running;
    private ObjectName absorbStream;
    private ObjectName moocitStream;

    @BeforeEach
    void start() throws Exception {
        absorbServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        absorb.enroll("c1", 30, now.minus(1, ChronoUnit.DAYS));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,course-v1:A,1", "ben,course-v1:A,lots"))));
        service = AbsorbSimulator.readBy(TestService.readingMoocit(dir, moocit.baseUrl()), absorbServer.baseUrl(), now)
                .with("camel.main.jmx-enabled", "true")
                .with("moocit.cron", NEVER)
                .with("absorb.cron", NEVER)
                .with("absorb.reconcile-cron", NEVER)
                .with("sync.health.max-pause", "PT0S");
        running = service.service(false).start();
        absorbStream = new ObjectName("lms-sync:type=stream,source=absorb,name=course-enrollments");
        moocitStream = new ObjectName("lms-sync:type=stream,source=moocit,name=course-completions");
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
        assertThat(jmx.queryNames(new ObjectName("lms-sync:*"), null)).as("unregistered on stop").isEmpty();
    }

    private HealthCheck.Result health(String check) {
        return HealthCheckHelper.invoke(running.context()).stream()
                .filter(r -> r.getCheck().getId().equals(check)).findFirst().orElseThrow();
    }

    private Object attribute(ObjectName name, String attribute) throws Exception {
        return jmx.getAttribute(name, attribute);
    }

    private String invoke(ObjectName name, String operation, Object... args) throws Exception {
        String[] signature = new String[args.length];
        java.util.Arrays.fill(signature, String.class.getName());
        return (String) jmx.invoke(name, operation, args, signature);
    }

    private void runAndWait(ObjectName stream) throws Exception {
        long runs = (Long) attribute(stream, "TotalRuns");
        assertThat(invoke(stream, "runNow")).startsWith("a run of");
        await().atMost(Duration.ofSeconds(30)).until(() -> (Long) attribute(stream, "TotalRuns") == runs + 1);
    }

    @Test
    void everyStreamAndAccountHasAnMBeanThatTellsHowItsRunsWent() throws Exception {
        assertThat(jmx.queryNames(new ObjectName("lms-sync:*"), null)).extracting(ObjectName::toString)
                .containsExactlyInAnyOrder(absorbStream.toString(), moocitStream.toString(),
                        "lms-sync:type=account,name=absorb", "lms-sync:type=account,name=moocit");
        assertThat(attribute(absorbStream, "LastRunStatus")).isEqualTo("");
        assertThat(attribute(absorbStream, "LagSeconds")).isEqualTo(-1L);

        runAndWait(absorbStream);

        assertThat(attribute(absorbStream, "LastRunStatus")).isEqualTo("succeeded");
        assertThat(attribute(absorbStream, "LastRunFetched")).isEqualTo(30L);
        assertThat(attribute(absorbStream, "LastRunInserted")).isEqualTo(30L);
        assertThat(attribute(absorbStream, "LastRunRequests")).isEqualTo(2L); // one page per window
        assertThat(attribute(absorbStream, "BackfillWindowsDone")).isEqualTo(2);
        assertThat(attribute(absorbStream, "BackfillWindowsTotal")).isEqualTo(2);
        assertThat(Instant.parse((String) attribute(absorbStream, "Cursor"))).isBetween(now.minusSeconds(5), Instant.now());
        assertThat((Long) attribute(absorbStream, "LagSeconds")).isBetween(0L, 60L);

        runAndWait(absorbStream);
        assertThat(attribute(absorbStream, "LastRunInserted")).isEqualTo(0L);
        assertThat(attribute(absorbStream, "TotalInserted")).isEqualTo(30L);
        assertThat(attribute(absorbStream, "TotalRuns")).isEqualTo(2L);

        ObjectName account = new ObjectName("lms-sync:type=account,name=absorb");
        assertThat(attribute(account, "TotalRequests")).as("the account counts what its streams sent")
                .isEqualTo(attribute(absorbStream, "TotalRequests"));
        assertThat((Long) attribute(absorbStream, "TotalRequests")).isGreaterThanOrEqualTo(2L);
        assertThat(attribute(account, "BudgetPerPeriod")).isEqualTo(120);
        assertThat(Instant.parse((String) attribute(account, "TokenExpiresAt"))).isAfter(Instant.now());
        assertThat(attribute(account, "PausedUntil")).isEqualTo("");

        List<String> texts = new ArrayList<>();
        for (ObjectName name : jmx.queryNames(new ObjectName("lms-sync:*"), null)) {
            for (MBeanAttributeInfo info : jmx.getMBeanInfo(name).getAttributes()) {
                texts.add(String.valueOf(jmx.getAttribute(name, info.getName())));
            }
        }
        assertThat(String.join("\n", texts)).doesNotContain("absorb-token-", "absorb-test-password",
                AbsorbSimulator.KEY, TestService.TOKEN);
    }

    @Test
    void aPausedStreamSkipsItsRunsUntilResumedAndBothAreAudited() throws Exception {
        assertThat(invoke(absorbStream, "pause")).isEqualTo("absorb-course-enrollments is paused");
        assertThat(attribute(absorbStream, "Paused")).isEqualTo(true);
        assertThat(invoke(absorbStream, "runNow")).isEqualTo("absorb-course-enrollments is paused: resume it first");
        // the vendor's check shows it, and leaves readiness to the service's own checks
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(health("source-absorb"))
                .extracting(HealthCheck.Result::getState, r -> r.getMessage().orElse(""), r -> r.getDetails().get("state"))
                .satisfies(r -> assertThat(r.get(0)).isEqualTo(HealthCheck.State.UP))
                .satisfies(r -> assertThat((String) r.get(1)).matches(
                        "absorb-course-enrollments paused since .* \\(longer than PT0S\\)"))
                .satisfies(r -> assertThat(r.get(2)).isEqualTo("failing")));
        assertThat(HealthCheckHelper.invokeReadiness(running.context())).noneMatch(r -> r.getCheck().getId()
                .startsWith("source-")).allMatch(r -> r.getState() == HealthCheck.State.UP);
        assertThat(service.with("camel.main.jmx-enabled", "false").runOnce()).as("another process honours the pause")
                .isEqualTo(0);
        assertThat(service.count("SELECT COUNT(*) FROM sync_run WHERE stream = 'absorb-course-enrollments'")).isZero();

        assertThat(invoke(absorbStream, "resume")).isEqualTo("absorb-course-enrollments runs again on its schedule");
        assertThat(health("source-absorb").getDetails().get("state")).isEqualTo("ok");
        runAndWait(absorbStream);
        assertThat(attribute(absorbStream, "LastRunStatus")).isEqualTo("succeeded");
        // called through the platform MBeanServer in this process: no connector's user and no RMI client to name
        assertThat(service.query("SELECT operation, old_value, new_value, caller, channel FROM control_audit ORDER BY"
                + " id")).containsExactly(
                        Map.of("operation", "pause", "old_value", "running", "new_value", "paused",
                                "caller", "this process", "channel", "jmx"),
                        Map.of("operation", "resume", "old_value", "paused", "new_value", "running",
                                "caller", "this process", "channel", "jmx"),
                        Map.of("operation", "runNow", "old_value", "", "new_value", "", "caller", "this process",
                                "channel", "jmx"));
    }

    @Test
    void resetCursorMovesTheNextRunsStartAndIsAuditedWithTheOldAndNewValue() throws Exception {
        runAndWait(absorbStream);
        String before = (String) attribute(absorbStream, "Cursor");
        absorb.pagesServed.set(0);

        assertThat(invoke(absorbStream, "resetCursor", "2026-01-01T00:00:00Z"))
                .isEqualTo("the cursor of absorb-course-enrollments moved from " + before + " to 2026-01-01T00:00:00Z");

        assertThat(attribute(absorbStream, "Cursor")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(service.query("SELECT operation, old_value, new_value FROM control_audit "
                + "WHERE operation = 'resetCursor'")).containsExactly(Map.of("operation", "resetCursor",
                        "old_value", before, "new_value", "2026-01-01T00:00:00Z"));
        runAndWait(absorbStream);
        assertThat(attribute(absorbStream, "BackfillWindowsTotal")).as("from 2026-01-01 in windows of 101 days")
                .isEqualTo((int) Math.ceil(Duration.between(Instant.parse("2026-01-01T00:00:00Z"), now).toDays() / 101.0));

        assertThatThrownBy(() -> invoke(absorbStream, "resetCursor", "yesterday")).rootCause()
                .hasMessage("not an ISO-8601 instant: 'yesterday' (write it as 2026-01-01T00:00:00Z)");
        assertThatThrownBy(() -> invoke(moocitStream, "resetCursor", "2026-01-01T00:00:00Z")).rootCause()
                .hasMessage("moocit-course-completions reads a full snapshot every run: it has no cursor to reset");
        String future = Instant.now().plus(2, java.time.temporal.ChronoUnit.DAYS).toString();
        assertThatThrownBy(() -> invoke(absorbStream, "resetCursor", future)).rootCause()
                .hasMessageStartingWith(future + " is in the future (the database's clock says ");
        assertThat(attribute(absorbStream, "Cursor")).as("left where it was").isNotEqualTo(future);
    }

    @Test
    void retryDeadLettersDeliversWhatMapsNowAndKeepsTheRest() throws Exception {
        runAndWait(moocitStream);
        assertThat(attribute(moocitStream, "LastRunDeadLettered")).isEqualTo(1L);
        // a letter an earlier version could not map, but this one can
        try (var c = java.sql.DriverManager.getConnection(service.settings.get("sync.jdbc.url"), "sa", "");
                var s = c.prepareStatement("INSERT INTO dead_letter (stream, raw_hash, record_id, reason, raw, "
                        + "first_seen_at, last_seen_at, last_run_id, times_seen) VALUES ('moocit-course-completions', "
                        + "'h', NULL, 'old reason', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 1)")) {
            s.setString(1, "{\"username\":\"cy\",\"email\":\"cy@example.com\",\"course_id\":\"course-v1:A\","
                    + "\"completion\":\"1\"}");
            s.executeUpdate();
        }

        String outcome = invoke(moocitStream, "retryDeadLetters");

        assertThat(outcome).startsWith("moocit-course-completions (replay) succeeded: fetched=2 inserted=1 updated=0 "
                + "unchanged=0 deleted=0 held=0 dead_lettered=1");
        assertThat(service.query("SELECT record_id, times_seen FROM dead_letter")).containsExactly(
                Map.of("record_id", "moocit:course_completion:ben|course-v1:A", "times_seen", 2));
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE learner_username = 'cy'")).isEqualTo(1);
    }

    @Test
    void heldDeletionsShowAsAnAttributeAndAnOperatorAppliesThemWithAnAuditedOperation() throws Exception {
        runAndWait(moocitStream);
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson("[]")));
        runAndWait(moocitStream);
        assertThat(attribute(moocitStream, "HeldDeletions")).isEqualTo(1L);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isZero();

        String outcome = invoke(moocitStream, "applyHeldDeletions");

        assertThat(outcome).startsWith("moocit-course-completions (apply) succeeded: fetched=0 inserted=0 updated=0 "
                + "unchanged=0 deleted=1 held=0");
        assertThat(attribute(moocitStream, "HeldDeletions")).isEqualTo(0L);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE is_deleted")).isEqualTo(1);
        assertThat(service.query("SELECT operation, old_value FROM control_audit WHERE operation = 'applyHeldDeletions'"))
                .containsExactly(Map.of("operation", "applyHeldDeletions", "old_value", "1 held"));
        assertThat(invoke(moocitStream, "applyHeldDeletions")).isEqualTo("moocit-course-completions holds no deletions");
    }

    @Test
    void aRemoteJmxClientsOperationIsAuditedWithItsUserAndAddress() throws Exception {
        // a JMX connector as -Dcom.sun.management.jmxremote.* opens one, with a password check
        JMXAuthenticator passwords = credentials -> {
            String[] pair = (String[]) credentials;
            if (!"controlRole".equals(pair[0]) || !"jmx-test-password".equals(pair[1])) {
                throw new SecurityException("wrong credentials");
            }
            return new Subject(true, Set.of(new JMXPrincipal("controlRole")), Set.of(), Set.of());
        };
        JMXConnectorServer connector = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), Map.of(JMXConnectorServer.AUTHENTICATOR, passwords),
                jmx);
        connector.start();
        try (JMXConnector client = JMXConnectorFactory.connect(connector.getAddress(),
                Map.of(JMXConnector.CREDENTIALS, new String[] {"controlRole", "jmx-test-password"}))) {
            MBeanServerConnection remote = client.getMBeanServerConnection();
            assertThat(remote.invoke(absorbStream, "pause", new Object[0], new String[0]))
                    .isEqualTo("absorb-course-enrollments is paused");
        } finally {
            connector.stop();
        }

        assertThat(service.query("SELECT operation, caller, channel FROM control_audit")).containsExactly(
                Map.of("operation", "pause", "caller", "controlRole from 127.0.0.1", "channel", "jmx"));
    }

    @Test
    void theCommandLinesApplyHeldIsAuditedAsTheOperatingSystemsUser() throws Exception {
        runAndWait(moocitStream);
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson("[]")));
        runAndWait(moocitStream);
        assertThat(attribute(moocitStream, "HeldDeletions")).isEqualTo(1L);

        // java -jar lms-sync.jar --apply-held=moocit-course-completions, beside the running service
        assertThat(service.with("camel.main.jmx-enabled", "false").applyHeld("moocit-course-completions")).isZero();

        assertThat(service.query("SELECT operation, caller, channel FROM control_audit WHERE operation ="
                + " 'applyHeldDeletions'")).containsExactly(Map.of("operation", "applyHeldDeletions",
                        "caller", System.getProperty("user.name"), "channel", "cli"));
    }
}

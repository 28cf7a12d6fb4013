package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

/**
 * Scheduled mode: Quartz starts the runs, never two of one vendor at once, at the crons' times in sync.time-zone; JMX
 * shows the service and its routes.
 */
class ScheduledRunTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void runsFireOnTheCronAndNeverOverlap() throws Exception {
        // a run takes about 1.5 s and the cron fires every second: a run must wait for the one before
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion"))
                .willReturn(okJson("[{\"username\":\"ana\",\"course_id\":\"c1\",\"completion\":\"1\"}]")
                        .withFixedDelay(1500)));
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("moocit.cron", "0/1 * * * * ?")
                .with("camel.main.jmx-enabled", "true");

        try (LmsSync running = service.service(false)) {
            running.start();
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.isRegistered(new ObjectName(
                    "org.apache.camel:context=lms-sync,type=routes,name=\"moocit-course-completions\""))).isTrue();
            assertThat(jmx.queryNames(new ObjectName("org.apache.camel:context=lms-sync,type=routes,*"), null))
                    .extracting(n -> n.getKeyProperty("name"))
                    .contains("\"moocit-poll\"", "\"moocit-call\"", "\"deliver\"", "\"deliver-jdbc\"", "\"deliver-file\"");

            await().atMost(Duration.ofSeconds(20)).until(
                    () -> service.count("SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded'") >= 3);
        }

        List<Map<String, Object>> runs = service.query(
                "SELECT started_at, ended_at FROM sync_run WHERE status = 'succeeded' ORDER BY id");
        for (int i = 1; i < runs.size(); i++) {
            OffsetDateTime previousEnd = (OffsetDateTime) runs.get(i - 1).get("ended_at");
            OffsetDateTime start = (OffsetDateTime) runs.get(i).get("started_at");
            assertThat(start).as("run %d starts after run %d ended", i + 1, i).isAfterOrEqualTo(previousEnd);
        }
        assertThat(service.query("SELECT fetched, inserted, unchanged FROM sync_run WHERE status = 'succeeded' "
                + "ORDER BY id FETCH FIRST 2 ROWS ONLY")).containsExactly(
                        Map.of("fetched", 1L, "inserted", 1L, "unchanged", 0L),
                        Map.of("fetched", 1L, "inserted", 0L, "unchanged", 1L));
    }

    @Test
    void aDailyReportGroupIsATriggerOfItsOwnAndItsNextRunIsItsOwnNotTheHourlyOne() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestService service = new TestService(dir)
                .with("continu-reporting.enabled", "true")
                .with("continu-reporting.base-url", moocit.baseUrl())
                .with("continu-reporting.token", "reporting-token")
                .with("continu-reporting.assessment-status.enabled", "true")
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port));

        try (LmsSync running = service.service(false).start()) {
            assertThat(trigger(running, "continu-reporting").getCronExpression()).isEqualTo("0 30 * * * ?");
            CronTrigger daily = trigger(running, "continu-reporting-assessment-status");
            assertThat(daily.getCronExpression()).isEqualTo("0 30 2 * * ?");
            assertThat(daily.getNextFireTime().toInstant().atZone(ZoneOffset.UTC).toLocalTime())
                    .isEqualTo(LocalTime.of(2, 30));

            // what the status page and the alert rules read: each stream's own next run
            String metrics = ObserveTest.fetch(port, "/observe/metrics").body();
            double dailyNext = ObserveTest.sample(metrics, "lms_sync_next_run_timestamp_seconds",
                    "stream=\"continu-reporting-assessment-status\"", "schedule=\"sync\"");
            double hourlyNext = ObserveTest.sample(metrics, "lms_sync_next_run_timestamp_seconds",
                    "stream=\"continu-reporting-content-completions\"", "schedule=\"sync\"");
            assertThat((long) dailyNext).isEqualTo(daily.getNextFireTime().toInstant().getEpochSecond());
            assertThat((long) hourlyNext).isEqualTo(trigger(running, "continu-reporting").getNextFireTime()
                    .toInstant().getEpochSecond());
            assertThat(ObserveTest.sample(metrics, "lms_sync_schedule_interval_seconds",
                    "stream=\"continu-reporting-assessment-status\"", "schedule=\"sync\"")).isEqualTo(86_400.0);
            assertThat(ObserveTest.sample(metrics, "lms_sync_schedule_interval_seconds",
                    "stream=\"continu-reporting-content-completions\"", "schedule=\"sync\"")).isEqualTo(3_600.0);
        }
    }

    /** The trigger the running service made for a job of the lms-sync group. */
    private static CronTrigger trigger(LmsSync running, String job) throws Exception {
        Scheduler scheduler = running.context().getComponent("quartz", QuartzComponent.class).getScheduler();
        return (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey(job, "lms-sync"));
    }

    /** Quartz's own computation of the trigger's firings between two instants, as if it had started at the first. */
    private static List<Instant> firings(CronTrigger trigger, String from, String to) {
        OperableTrigger copy = (OperableTrigger) ((OperableTrigger) trigger).clone();
        copy.setNextFireTime(null);
        return TriggerUtils.computeFireTimesBetween(copy, null, Date.from(Instant.parse(from)),
                Date.from(Instant.parse(to))).stream().map(Date::toInstant).toList();
    }

    @Test
    void aDailyTimeTheSpringForwardSkipsStillFiresThatDayInTheConfiguredZone() throws Exception {
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.time-zone", "Europe/Berlin")
                .with("moocit.cron", "0 15 2 * * ?");

        try (LmsSync running = service.service(false).start()) {
            CronTrigger trigger = trigger(running, "moocit");
            assertThat(trigger.getTimeZone().getID()).isEqualTo("Europe/Berlin");
            assertThat(trigger.getCronExpression()).isEqualTo("0 15 2 * * ?");
            assertThat(trigger(running, "retention").getTimeZone().getID()).isEqualTo("Europe/Berlin");

            // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:15 does not exist; it fires at 03:15 CEST
            assertThat(firings(trigger, "2026-03-27T12:00:00Z", "2026-03-31T12:00:00Z")).containsExactly(
                    Instant.parse("2026-03-28T01:15:00Z"), Instant.parse("2026-03-29T01:15:00Z"),
                    Instant.parse("2026-03-30T00:15:00Z"), Instant.parse("2026-03-31T00:15:00Z"));
            // Quartz's own cron trigger in the same zone skips that day: what lms-sync's trigger is there to prevent
            CronTrigger quartz = TriggerBuilder.newTrigger().withSchedule(CronScheduleBuilder
                    .cronSchedule("0 15 2 * * ?").inTimeZone(TimeZone.getTimeZone("Europe/Berlin"))).build();
            assertThat(firings(quartz, "2026-03-27T12:00:00Z", "2026-03-31T12:00:00Z"))
                    .doesNotContain(Instant.parse("2026-03-29T01:15:00Z")).hasSize(3);

            // the next firing the status page and the metrics show is the trigger's
            Instant next = trigger.getNextFireTime().toInstant();
            assertThat(next.atZone(ZoneId.of("Europe/Berlin")).toLocalTime()).isIn(LocalTime.of(2, 15),
                    LocalTime.of(3, 15));
            assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(25)));
        }
    }

    @Test
    void theCronsAreInUtcUnlessSetWhateverTheJvmsZone() throws Exception {
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("moocit.cron", "0 15 2 * * ?");
        TimeZone jvm = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            try (LmsSync running = service.service(false).start()) {
                CronTrigger trigger = trigger(running, "moocit");
                assertThat(trigger.getTimeZone().getID()).isEqualTo("UTC");
                assertThat(trigger(running, "retention").getTimeZone().getID()).isEqualTo("UTC");
                assertThat(trigger.getNextFireTime().toInstant().atZone(ZoneOffset.UTC).toLocalTime())
                        .isEqualTo(LocalTime.of(2, 15));
                assertThat(firings(trigger, "2026-03-07T12:00:00Z", "2026-03-10T12:00:00Z")).as("New York's "
                        + "spring-forward day is an ordinary day in UTC").containsExactly(
                                Instant.parse("2026-03-08T02:15:00Z"), Instant.parse("2026-03-09T02:15:00Z"),
                                Instant.parse("2026-03-10T02:15:00Z"));
            }
        } finally {
            TimeZone.setDefault(jvm);
        }
    }
}

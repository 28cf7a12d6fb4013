package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.sync.DaylightSafeCronTrigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronTrigger;
import org.quartz.TriggerKey;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

/**
 * A cluster's schedules live in Quartz's tables in PostgreSQL and outlive the node that made them: lms-sync's triggers
 * come back from there as they were made, and a changed sync.time-zone reaches them (Camel replaces a stored trigger
 * only when its cron changes).
 */
class ClusterScheduleOnPostgresTest {

    @TempDir
    Path dir;

    private static CronTrigger stored(LmsSync running) throws Exception {
        return (CronTrigger) running.context().getComponent("quartz", QuartzComponent.class).getScheduler()
                .getTrigger(TriggerKey.triggerKey("moocit", "lms-sync"));
    }

    @Test
    void aClustersTriggerKeepsItsKindInTheDatabaseAndFollowsAChangedTimeZone() throws Exception {
        TestService node = TestService.readingMoocit(dir, "http://127.0.0.1:9").onPostgres().with("sync.cluster", "true")
                .with("moocit.cron", "0 15 2 * * ?");

        try (LmsSync running = node.with("sync.time-zone", "Europe/Berlin").service(false).start()) {
            CronTrigger trigger = stored(running);
            assertThat(trigger).isInstanceOf(DaylightSafeCronTrigger.class);
            assertThat(trigger.getTimeZone().getID()).isEqualTo("Europe/Berlin");
            // read back from the job store, it still fires on the spring-forward day (02:15 CET is 03:15 CEST)
            OperableTrigger copy = (OperableTrigger) ((OperableTrigger) trigger).clone();
            copy.setNextFireTime(null);
            assertThat(TriggerUtils.computeFireTimesBetween(copy, null,
                    Date.from(Instant.parse("2026-03-28T12:00:00Z")), Date.from(Instant.parse("2026-03-30T12:00:00Z"))))
                    .containsExactly(
                            Date.from(Instant.parse("2026-03-29T01:15:00Z")),
                            Date.from(Instant.parse("2026-03-30T00:15:00Z")));
            assertThat(node.query("SELECT trigger_type FROM qrtz_triggers WHERE trigger_name = 'moocit'"))
                    .containsExactly(Map.of("trigger_type", "LMS_CRON"));
        }
        try (LmsSync running = node.with("sync.time-zone", "UTC").service(false).start()) {
            CronTrigger trigger = stored(running);
            assertThat(trigger).isInstanceOf(DaylightSafeCronTrigger.class);
            assertThat(trigger.getTimeZone().getID()).isEqualTo("UTC");
            assertThat(trigger.getCronExpression()).isEqualTo("0 15 2 * * ?");
        }
    }
}

package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * A stream's own cron (a daily report group's trigger) fires as lms-sync's triggers fire, in sync.time-zone whatever
 * the JVM's zone, once a day, a time the spring-forward skips included.
 */
class SchedulesTest {

    private static final Schedules UTC = new Schedules(TimeZone.getTimeZone("UTC"));
    private static final Schedules BERLIN = new Schedules(TimeZone.getTimeZone("Europe/Berlin"));
    private static final String DAILY = "0 30 2 * * ?";

    private static Date at(String iso) {
        return Date.from(Instant.parse(iso));
    }

    @Test
    void aDailyGroupFiresOnceADayInTheSettingsZoneNotTheJvms() {
        TimeZone jvm = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            assertThat(UTC.next(DAILY, at("2026-11-23T01:30:00Z"))).isEqualTo(at("2026-11-23T02:30:00Z"));
            assertThat(UTC.next(DAILY, at("2026-11-23T02:30:00Z"))).as("once a day")
                    .isEqualTo(at("2026-11-24T02:30:00Z"));
            assertThat(UTC.next(DAILY, at("2026-11-23T03:30:00Z"))).isEqualTo(at("2026-11-24T02:30:00Z"));
        } finally {
            TimeZone.setDefault(jvm);
        }
    }

    @Test
    void aDailyGroupWhoseTimeTheSpringForwardSkipsStillRunsThatDay() {
        // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day and runs at 03:00
        // CEST (01:00Z), once
        Date springForward = BERLIN.next(DAILY, at("2026-03-29T00:30:00Z"));
        assertThat(springForward).isAfter(at("2026-03-29T00:30:00Z")).isBeforeOrEqualTo(at("2026-03-29T01:30:00Z"));
        assertThat(BERLIN.next(DAILY, springForward)).as("once").isEqualTo(at("2026-03-30T00:30:00Z"));
        // the days around it, at 02:30 local
        assertThat(BERLIN.next(DAILY, at("2026-03-28T00:00:00Z"))).isEqualTo(at("2026-03-28T01:30:00Z"));
        // the fall-back day, 2026-10-25: 02:30 happens twice and fires once, the second time (02:30 CET, 01:30Z)
        assertThat(BERLIN.next(DAILY, at("2026-10-24T23:30:00Z"))).isEqualTo(at("2026-10-25T01:30:00Z"));
        assertThat(BERLIN.next(DAILY, at("2026-10-25T01:30:00Z"))).as("once").isEqualTo(at("2026-10-26T01:30:00Z"));
    }
}

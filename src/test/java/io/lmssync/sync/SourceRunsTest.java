package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** A stream with a cron of its own runs on the firings of its source's schedule that reach it, in sync.time-zone. */
class SourceRunsTest {

    private static final Schedules UTC = new Schedules(TimeZone.getTimeZone("UTC"));
    private static final Schedules BERLIN = new Schedules(TimeZone.getTimeZone("Europe/Berlin"));

    private static Date at(String iso) {
        return Date.from(Instant.parse(iso));
    }

    @Test
    void aDailyGroupUnderAnHourlySourceRunsOnceADayAndOnTheFirstFiring() {
        // 02:30 daily in UTC (sync.time-zone), an hourly source firing at :30; the JVM's own zone plays no part
        String daily = "0 30 2 * * ?";
        TimeZone jvm = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            assertThat(SourceRuns.reached(UTC, daily, null, at("2026-11-23T05:30:00Z"))).as("first firing").isTrue();
            assertThat(SourceRuns.reached(UTC, daily, at("2026-11-23T01:30:00Z"), at("2026-11-23T02:30:00Z")))
                    .isTrue();
            assertThat(SourceRuns.reached(UTC, daily, at("2026-11-23T02:30:00Z"), at("2026-11-23T03:30:00Z")))
                    .isFalse();
            assertThat(SourceRuns.reached(UTC, daily, at("2026-11-23T03:30:00Z"), at("2026-11-24T01:30:00Z")))
                    .isFalse();
            // a firing missed (the service was down at 02:30): the next one catches up
            assertThat(SourceRuns.reached(UTC, daily, at("2026-11-23T01:30:00Z"), at("2026-11-23T07:30:00Z")))
                    .isTrue();
        } finally {
            TimeZone.setDefault(jvm);
        }
    }

    @Test
    void aDailyGroupWhoseTimeTheSpringForwardSkipsStillRunsThatDay() {
        // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST. The hourly source fires at 01:30 CET (00:30Z),
        // then at 03:30 CEST (01:30Z); the daily group's 02:30 does not exist that day and runs at 03:30 CEST
        String daily = "0 30 2 * * ?";
        assertThat(SourceRuns.reached(BERLIN, daily, at("2026-03-29T00:30:00Z"), at("2026-03-29T01:30:00Z")))
                .isTrue();
        assertThat(SourceRuns.reached(BERLIN, daily, at("2026-03-29T01:30:00Z"), at("2026-03-29T02:30:00Z")))
                .as("once").isFalse();
        // the days around it, at 02:30 local
        assertThat(SourceRuns.reached(BERLIN, daily, at("2026-03-28T00:30:00Z"), at("2026-03-28T01:30:00Z")))
                .isTrue();
        assertThat(SourceRuns.reached(BERLIN, daily, at("2026-03-30T00:00:00Z"), at("2026-03-30T00:30:00Z")))
                .isTrue();
        // the fall-back day, 2026-10-25: 02:30 happens twice and Quartz fires it once, the second time (02:30 CET,
        // 01:30Z); the hourly source fires at 01:30 CEST (23:30Z), then at 02:30 CET
        assertThat(SourceRuns.reached(BERLIN, daily, at("2026-10-24T23:30:00Z"), at("2026-10-25T01:30:00Z")))
                .isTrue();
        assertThat(SourceRuns.reached(BERLIN, daily, at("2026-10-25T01:30:00Z"), at("2026-10-25T02:30:00Z")))
                .as("once").isFalse();
    }
}

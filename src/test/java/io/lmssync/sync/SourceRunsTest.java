package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** A stream with a cron of its own runs on the firings of its source's schedule that reach it. */
class SourceRunsTest {

    private static Date at(String iso) {
        return Date.from(Instant.parse(iso));
    }

    @Test
    void aDailyGroupUnderAnHourlySourceRunsOnceADayAndOnTheFirstFiring() {
        // the system default zone reads the cron; 02:30 daily, an hourly source firing at :30
        String daily = "0 30 2 * * ?";
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        try {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
            assertThat(SourceRuns.reached(daily, null, at("2026-11-23T05:30:00Z"))).as("first firing").isTrue();
            assertThat(SourceRuns.reached(daily, at("2026-11-23T01:30:00Z"), at("2026-11-23T02:30:00Z"))).isTrue();
            assertThat(SourceRuns.reached(daily, at("2026-11-23T02:30:00Z"), at("2026-11-23T03:30:00Z"))).isFalse();
            assertThat(SourceRuns.reached(daily, at("2026-11-23T03:30:00Z"), at("2026-11-24T01:30:00Z"))).isFalse();
            // a firing missed (the service was down at 02:30): the next one catches up
            assertThat(SourceRuns.reached(daily, at("2026-11-23T01:30:00Z"), at("2026-11-23T07:30:00Z"))).isTrue();
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
    }
}

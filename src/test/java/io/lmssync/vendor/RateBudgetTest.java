package io.lmssync.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** How long a vendor account pauses after a 429. */
class RateBudgetTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final RateBudget budget = new RateBudget("continu", Duration.ofSeconds(30), Duration.ofSeconds(300),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void retryAfterInSecondsIsHonoured() {
        assertThat(budget.refused("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(budget.pausedUntil()).isEqualTo(NOW.plusSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        assertThat(budget.refused("Sun, 01 Mar 2026 10:01:30 GMT")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void withoutRetryAfterTheBackoffDoublesFromTheInitialUpToTheMaximum() {
        assertThat(budget.refused(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(budget.refused(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(budget.refused("soon")).isEqualTo(Duration.ofSeconds(120));
        assertThat(budget.refused(null)).isEqualTo(Duration.ofSeconds(240));
        assertThat(budget.refused(null)).isEqualTo(Duration.ofSeconds(300));
        assertThat(budget.refused(null)).isEqualTo(Duration.ofSeconds(300));
        assertThat(budget.rateLimited()).isEqualTo(6);
    }

    @Test
    void anAnswerStartsTheBackoffAgain() {
        budget.refused(null);
        budget.refused(null);
        budget.answered();
        assertThat(budget.refused(null)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aShorterPauseNeverCutsALongerOneShort() {
        budget.refused("120");
        budget.refused("5");
        assertThat(budget.pausedUntil()).isEqualTo(NOW.plusSeconds(120));
    }
}

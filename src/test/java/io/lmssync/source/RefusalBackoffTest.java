package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** How long a vendor account pauses after a 429. */
class RefusalBackoffTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final RefusalBackoff backoff = new RefusalBackoff("continu", Duration.ofSeconds(30),
            Duration.ofSeconds(300), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void retryAfterInSecondsIsHonoured() {
        assertThat(backoff.next("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        assertThat(backoff.next("Sun, 01 Mar 2026 10:01:30 GMT")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffIsCutToIt() {
        assertThat(backoff.next("86400")).isEqualTo(Duration.ofSeconds(300));
        assertThat(backoff.next("Mon, 02 Mar 2026 10:00:00 GMT")).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void withoutRetryAfterTheBackoffDoublesFromTheInitialUpToTheMaximum() {
        assertThat(backoff.next(null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.next(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.next("soon")).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.next(null)).isEqualTo(Duration.ofSeconds(240));
        assertThat(backoff.next(null)).isEqualTo(Duration.ofSeconds(300));
        assertThat(backoff.next(null)).isEqualTo(Duration.ofSeconds(300));
        assertThat(backoff.refusedInARow()).isEqualTo(6);
    }

    @Test
    void anAnswerStartsTheBackoffAgain() {
        backoff.next(null);
        backoff.next(null);
        backoff.reset();
        assertThat(backoff.next(null)).isEqualTo(Duration.ofSeconds(30));
    }
}

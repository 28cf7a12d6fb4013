package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a vendor sends is bounded: a call that takes longer than its deadline (a trickled answer, or none at all), an
 * answer larger than its cap, and an answer the spool's disk has no room for each fail the stream naming the setting,
 * deliver nothing, and leave the next run to read the vendor afresh.
 */
class RequestBoundsTest {

    private static final String PATH = "/api/so2/v1/completion";

    /**
     * Answers as they are written, not gzipped (HttpClient drops the Content-Length of an answer it inflates); chunked
     * unless a stub sets its Content-Length, as WireMock sends them.
     */
    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().gzipDisabled(true)).build();

    @TempDir
    Path dir;

    private TestService service;

    @BeforeEach
    void setUp() {
        service = TestService.readingMoocit(dir, moocit.baseUrl());
        // a host that enforces the headers MOOCit's page marks as required answers 400 without them
        moocit.stubFor(get(urlPathEqualTo(PATH)).atPriority(10).willReturn(aResponse().withStatus(400)
                .withBody("{\"detail\": \"Content-Type and Access-Control-Request-Headers are required\"}")));
    }

    private void answers(ResponseDefinitionBuilder response) {
        moocit.stubFor(get(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + TestService.TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Access-Control-Request-Headers", equalTo("authorization"))
                .willReturn(response));
    }

    /** A MOOCit answer of n completions, about 110 bytes each. */
    private static String completions(int n) {
        String[] all = new String[n];
        for (int i = 0; i < n; i++) {
            all[i] = "learner" + i + ",course-v1:Org+Safety+2024,1";
        }
        return MoocitSyncTest.answer(all);
    }

    /** How long the last run took, by its own record. */
    private Duration lastRunTook() throws Exception {
        Map<String, Object> run = service.lastRun();
        return Duration.between((OffsetDateTime) run.get("started_at"), (OffsetDateTime) run.get("ended_at"));
    }

    private void assertNothingDelivered() throws Exception {
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isZero();
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();
        assertThat(service.files()).isEmpty();
    }

    @Test
    void anAnswerTrickledOverFortySecondsIsCutOffAtATenSecondDeadlineAndTheNextRunRecovers() throws Exception {
        service.with("moocit.request-deadline", "PT10S");
        // forty chunks a second apart: every read gets a byte well within sync.http.response-timeout-ms
        answers(okJson(completions(40)).withChunkedDribbleDelay(40, 40_000));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(lastRunTook()).as("cut off at the deadline, not when the vendor was done")
                .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat((String) service.lastRun().get("error")).startsWith("moocit's answer to GET " + PATH
                + " (moocit-course-completions) took longer than moocit.request-deadline (PT10S): cut off after 1")
                .contains("; nothing of it is delivered and the cursor stays. A vendor that is slow but sound needs "
                        + "a longer moocit.request-deadline");
        assertNothingDelivered();

        answers(okJson(completions(40)));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("fetched", 40L).containsEntry("inserted", 40L);
    }

    @Test
    void aVendorThatSendsNothingIsCutOffAtTheDeadlineItsHeadersNeverMet() throws Exception {
        service.with("sync.http.request-deadline", "PT2S");
        answers(okJson(completions(3)).withFixedDelay(30_000));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(lastRunTook()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat((String) service.lastRun().get("error")).startsWith("moocit's answer to GET " + PATH
                + " (moocit-course-completions) took longer than sync.http.request-deadline (PT2S): cut off after 2.")
                .endsWith("needs a longer moocit.request-deadline (or sync.http.request-deadline for every account)");
        moocit.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
        assertNothingDelivered();
    }

    @Test
    void aRefusalTrickledPastTheDeadlineIsTheDeadlineNotANetworkErrorToRetry() throws Exception {
        service.with("moocit.request-deadline", "PT2S");
        // a 503 is retried (sync.retry.*); one whose body never finishes is cut off, once
        answers(aResponse().withStatus(503).withBody("{\"message\": \"" + "busy ".repeat(40) + "\"}")
                .withChunkedDribbleDelay(30, 30_000));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(lastRunTook()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat((String) service.lastRun().get("error")).startsWith("moocit's answer to GET " + PATH
                + " (moocit-course-completions) took longer than moocit.request-deadline (PT2S)");
        moocit.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void anAnswerLargerThanItsCapIsCutOffWhetherItSaysItsLengthOrNot() throws Exception {
        service.with("moocit.max-answer-bytes", "2000");
        String large = completions(50);
        assertThat(large.length()).isGreaterThan(4000);

        // it says its length: not read at all
        answers(okJson(large).withHeader("Content-Length", String.valueOf(large.length())));
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat((String) service.lastRun().get("error")).startsWith("moocit's answer to GET " + PATH
                + " (moocit-course-completions) says it is ").contains(" KB (Content-Length), more than "
                        + "moocit.max-answer-bytes (2000 bytes, 2.0 KB): cut off there; nothing of it is delivered and"
                        + " the cursor stays");
        assertNothingDelivered();

        // chunked, no length said: read up to the cap
        answers(okJson(large).withChunkedDribbleDelay(10, 100));
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);
        assertThat((String) service.lastRun().get("error")).startsWith("moocit's answer to GET " + PATH
                + " (moocit-course-completions) is larger than moocit.max-answer-bytes (2000 bytes, 2.0 KB)");
        assertNothingDelivered();

        answers(okJson(completions(10)).withChunkedDribbleDelay(10, 100));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.lastRun()).containsEntry("inserted", 10L);
    }

    @Test
    void anAnswerTheSpoolsDiskHasNoRoomForFailsTheStreamSayingWhatIsFree() throws Exception {
        // more to keep free than any disk has
        service.with("sync.work-directory.keep-free-bytes", String.valueOf(Long.MAX_VALUE / 2));
        String answer = completions(5);
        answers(okJson(answer).withHeader("Content-Length", String.valueOf(answer.length())));

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat((String) service.lastRun().get("error")).matches("no room to spool moocit's answer for "
                + "moocit-course-completions: sync.work-directory \\(" + java.util.regex.Pattern.quote(
                        dir.resolve("work").toAbsolutePath().toString()) + "\\) has [0-9.]+ [KMG]B free, the answer is "
                + "[0-9.]+ (bytes|KB) \\(its Content-Length\\), and sync.work-directory.keep-free-bytes keeps "
                + "[0-9.]+ GB free for what shares the disk \\(the database, sync.file.directory\\); nothing of the "
                + "answer is delivered and the cursor stays. Free some space, or give sync.work-directory a disk of "
                + "its own");
        assertNothingDelivered();
    }
}

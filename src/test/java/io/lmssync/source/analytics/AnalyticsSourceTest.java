package io.lmssync.source.analytics;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.lmssync.TestService;
import io.lmssync.sync.RunOnce;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fifth source end to end, a source of its own package only (its settings file and services line beside it):
 * the real service against a simulated Django REST analytics API that checks HTTP Basic credentials, filters by
 * calendar dates and pages by a {@code next} link (course activity) or a {@code next_cursor} token (content activity).
 */
class AnalyticsSourceTest {

    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("analytics-client:s3cret".getBytes(StandardCharsets.UTF_8));
    /** Two days of history: one window, from this day to today. */
    private static final LocalDate START = LocalDate.now(ZoneOffset.UTC).minusDays(2);

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    TestService service;

    @BeforeEach
    void setUp() {
        service = new TestService(dir).source(AnalyticsSource.class, "analytics")
                .with("analytics.enabled", "true")
                .with("analytics.base-url", api.baseUrl())
                .with("analytics.user", "analytics-client")
                .with("analytics.password", "s3cret")
                .with("analytics.page-size", "2")
                .with("analytics.start-date", START.toString());
    }

    /** A request of the source's: Basic credentials and the window's first day, as the API requires. */
    private static MappingBuilder page(String path) {
        return get(urlPathEqualTo(path)).withHeader("Authorization", equalTo(BASIC))
                .withQueryParam("start_date", equalTo(START.toString())).withQueryParam("page_size", equalTo("2"));
    }

    /** Activity rows of the learners, each on course 101. */
    private static String rows(String... learners) {
        StringJoiner rows = new StringJoiner(",", "[", "]");
        for (String learner : learners) {
            rows.add("{\"user_email\": \"" + learner + "@example.com\", \"user_name\": \"" + learner + "\","
                    + " \"course_id\": \"101\", \"course_title\": \"Python\", \"completion_ratio\": 50,"
                    + " \"course_completion_date\": null, \"last_accessed_date\": \"2026-12-01T09:00:00Z\"}");
        }
        return rows.toString();
    }

    /** Course activity in three pages of a Django REST envelope, each naming the next by its URL. */
    private void courseActivity(String nextHost) {
        String next = nextHost + AnalyticsSource.COURSES + "?page=%d&page_size=2&start_date=" + START;
        api.stubFor(page(AnalyticsSource.COURSES).withQueryParam("page", absent()).willReturn(okJson(
                "{\"count\": 5, \"next\": \"" + next.formatted(2) + "\", \"previous\": null, \"results\": "
                        + rows("ana", "ben") + "}")));
        api.stubFor(page(AnalyticsSource.COURSES).withQueryParam("page", equalTo("2")).willReturn(okJson(
                "{\"count\": 5, \"next\": \"" + next.formatted(3) + "\", \"results\": " + rows("cy", "dee") + "}")));
        api.stubFor(page(AnalyticsSource.COURSES).withQueryParam("page", equalTo("3")).willReturn(okJson(
                "{\"count\": 5, \"next\": null, \"results\": " + rows("eve") + "}")));
    }

    /** Content activity in two pages, a {@code next_cursor} each; the last says {@code has_more: false}. */
    private void contentActivity() {
        api.stubFor(page(AnalyticsSource.CONTENT).withQueryParam("cursor", absent()).willReturn(okJson(
                "{\"results\": " + rows("ana", "ben") + ", \"next_cursor\": \"c2\", \"has_more\": true}")));
        api.stubFor(page(AnalyticsSource.CONTENT).withQueryParam("cursor", equalTo("c2")).willReturn(okJson(
                "{\"results\": " + rows("cy") + ", \"next_cursor\": \"c3\", \"has_more\": false}")));
    }

    private long records(String type) throws Exception {
        return service.count("SELECT COUNT(*) FROM learning_record WHERE source = 'analytics' AND record_type = '"
                + type + "'");
    }

    @Test
    void aRunFollowsTheNextLinksAndTheCursorsAndStoresEveryRecord() throws Exception {
        courseActivity(api.baseUrl());
        contentActivity();

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(records("course_completion")).isEqualTo(5);
        assertThat(records("content_completion")).isEqualTo(3);
        assertThat(api.findAll(getRequestedFor(urlPathEqualTo(AnalyticsSource.COURSES)))).hasSize(3);
        assertThat(api.findAll(getRequestedFor(urlPathEqualTo(AnalyticsSource.CONTENT)))).hasSize(2);
    }

    @Test
    void theWindowReachesTheApiAsCalendarDatesBothDaysIncluded() throws Exception {
        courseActivity(api.baseUrl());
        service.with("analytics.content-activity", "false");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        LoggedRequest first = api.findAll(getRequestedFor(urlPathEqualTo(AnalyticsSource.COURSES))
                .withQueryParam("page", absent())).get(0);
        assertThat(first.queryParameter("start_date").firstValue()).isEqualTo(START.toString());
        // the window ends now (less the settle lag): its last day is today, or yesterday just after midnight
        assertThat(LocalDate.parse(first.queryParameter("end_date").firstValue()))
                .isIn(START.plusDays(2), START.plusDays(1));
        assertThat(api.findAll(getRequestedFor(urlPathEqualTo(AnalyticsSource.CONTENT)))).isEmpty();
    }

    @Test
    void aNextLinkToAnotherHostFailsTheStreamAndIsNotFollowed() throws Exception {
        courseActivity("https://elsewhere.example.com");
        service.with("analytics.content-activity", "false");

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat(String.valueOf(service.lastRun().get("error"))).contains("leaves its base URL's scheme and host");
        assertThat(api.findAll(getRequestedFor(urlPathEqualTo(AnalyticsSource.COURSES)))).hasSize(1);
        // the first page's records are delivered; the window is not done, so the next run reads it again
        assertThat(records("course_completion")).isEqualTo(2);
    }
}

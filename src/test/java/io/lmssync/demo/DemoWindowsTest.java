package io.lmssync.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The demo serves a windowed stream's sample records to the newest window only, reading the window's end as the
 * stream's own placement put it on the request: Unix seconds, an OData filter, and the calendar dates of the
 * test-only analytics source.
 */
class DemoWindowsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String get(String url, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void calendarDatesEndingTodayGetTheSampleRecordsAndOlderWindowsNone() throws Exception {
        try (DemoSources demo = DemoSources.start()) {
            String courses = demo.settings().get("analytics.base-url") + "/api/v1/analytics/user-course-activity/";
            String basic = "Basic ZGVtby11c2VyOmRlbW8tcGFzc3dvcmQ=";
            LocalDate today = LocalDate.now(ZoneOffset.UTC);

            assertThat(get(courses + "?start_date=" + today.minusDays(3) + "&end_date=" + today, basic))
                    .contains("ana@example.com");
            assertThat(get(courses + "?start_date=" + today.minusDays(40) + "&end_date=" + today.minusDays(10),
                    basic)).isEqualTo("[]");
        }
    }

    @Test
    void unixSecondsEndingNowGetTheSampleRecordsAndOlderWindowsNone() throws Exception {
        try (DemoSources demo = DemoSources.start()) {
            String completions = demo.settings().get("continu.base-url") + "/completion/tracks";
            long now = Instant.now().getEpochSecond();

            assertThat(get(completions + "?from=" + (now - 86_400) + "&until=" + now, "Bearer demo-continu-token"))
                    .isNotEqualTo("[]");
            assertThat(get(completions + "?from=" + (now - 9 * 86_400) + "&until=" + (now - 86_400),
                    "Bearer demo-continu-token")).isEqualTo("[]");
        }
    }

    @Test
    void anODataFilterEndingNowGetsTheSampleRecordsAndOlderWindowsNone() throws Exception {
        try (DemoSources demo = DemoSources.start()) {
            String enrollments = demo.settings().get("absorb.base-url") + "/courses/demo-course-1/enrollments?_filter=";
            Instant now = Instant.now();
            String filter = "dateEdited ge datetime'%s' and dateEdited lt datetime'%s'";

            assertThat(get(enrollments + java.net.URLEncoder.encode(filter.formatted(now.minusSeconds(86_400), now),
                    java.nio.charset.StandardCharsets.UTF_8), "Bearer demo-absorb-token")).contains("enrollments");
            assertThat(get(enrollments + java.net.URLEncoder.encode(filter.formatted(now.minusSeconds(9 * 86_400),
                    now.minusSeconds(86_400)), java.nio.charset.StandardCharsets.UTF_8), "Bearer demo-absorb-token"))
                    .isEqualTo("[]");
        }
    }
}

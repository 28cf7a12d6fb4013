package io.lmssync.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Properties;
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

    /**
     * The sample records go to every window that ends within the last hour, so a backfill window must not end in the
     * last day: a history of a whole number of windows put today's midnight on the grid, and between 00:00 and 01:00
     * UTC the demo served its sample twice (a status page test run at 00:11 counted 6 records of 3).
     */
    @Test
    void noBackfillWindowEndsWithinADayOfNowWhateverTheTimeOfDay() throws Exception {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        try (DemoSources demo = DemoSources.start()) {
            Instant now = Instant.now();
            int windowed = 0;
            for (Source source : Sources.all()) {
                String start = demo.settings().get(source.key() + ".start-date");
                if (start == null) {
                    continue;
                }
                windowed++;
                Duration window = Duration.parse(window(file, source));
                for (Instant end = LocalDate.parse(start).atStartOfDay(ZoneOffset.UTC).toInstant().plus(window);
                        end.isBefore(now); end = end.plus(window)) {
                    assertThat(end).as("%s: a backfill window ends at %s, within a day of now", source.key(), end)
                            .isBefore(now.minus(Duration.ofDays(1)));
                }
            }
            assertThat(windowed).as("windowed sources in the demo").isGreaterThanOrEqualTo(3);
        }
    }

    /** A source's window: application.properties, else its own {@code <key>.properties} beside its class. */
    private static String window(Properties file, Source source) throws Exception {
        String key = source.key() + ".window";
        if (file.getProperty(key) != null) {
            return file.getProperty(key).trim();
        }
        Properties own = new Properties();
        try (InputStream in = source.getClass().getResourceAsStream(source.key() + ".properties")) {
            own.load(in);
        }
        return own.getProperty(key).trim();
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

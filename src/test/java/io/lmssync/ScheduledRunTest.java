package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled mode: Quartz starts the runs, never two of one vendor at once; JMX shows the service and its routes. */
class ScheduledRunTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void runsFireOnTheCronAndNeverOverlap() throws Exception {
        // a run takes about 1.5 s and the cron fires every second: a run must wait for the one before
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion"))
                .willReturn(okJson("[{\"username\":\"ana\",\"course_id\":\"c1\",\"completion\":\"1\"}]")
                        .withFixedDelay(1500)));
        TestService service = new TestService(dir, moocit.baseUrl()).with("moocit.cron", "0/1 * * * * ?")
                .with("camel.main.jmx-enabled", "true");

        try (LmsSync running = service.service(false)) {
            running.start();
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.isRegistered(new ObjectName(
                    "org.apache.camel:context=lms-sync,type=routes,name=\"moocit-course-completions\""))).isTrue();
            assertThat(jmx.queryNames(new ObjectName("org.apache.camel:context=lms-sync,type=routes,*"), null))
                    .extracting(n -> n.getKeyProperty("name"))
                    .contains("\"moocit-poll\"", "\"moocit-call\"", "\"deliver\"", "\"deliver-jdbc\"", "\"deliver-file\"");

            await().atMost(Duration.ofSeconds(20)).until(
                    () -> service.count("SELECT COUNT(*) FROM sync_run WHERE status = 'succeeded'") >= 3);
        }

        List<Map<String, Object>> runs = service.query(
                "SELECT started_at, ended_at FROM sync_run WHERE status = 'succeeded' ORDER BY id");
        for (int i = 1; i < runs.size(); i++) {
            OffsetDateTime previousEnd = (OffsetDateTime) runs.get(i - 1).get("ended_at");
            OffsetDateTime start = (OffsetDateTime) runs.get(i).get("started_at");
            assertThat(start).as("run %d starts after run %d ended", i + 1, i).isAfterOrEqualTo(previousEnd);
        }
        assertThat(service.query("SELECT fetched, inserted, unchanged FROM sync_run WHERE status = 'succeeded' "
                + "ORDER BY id FETCH FIRST 2 ROWS ONLY")).containsExactly(
                        Map.of("fetched", 1L, "inserted", 1L, "unchanged", 0L),
                        Map.of("fetched", 1L, "inserted", 0L, "unchanged", 1L));
    }
}

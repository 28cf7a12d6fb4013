package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery state per sink: a sink added to sync.sinks after a sync receives what the store already holds, from the
 * store, on the next run, once; one removed and added again catches up the same way.
 */
class SinkCatchUpTest {

    private static final String PATH = "/api/so2/v1/completion";

    @RegisterExtension
    final WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ContinuSimulator continu = new ContinuSimulator();

    @RegisterExtension
    final WireMockExtension continuServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(continu)).build();

    @TempDir
    Path dir;

    private static String learners(int count, String completion) {
        return MoocitSyncTest.answer(IntStream.range(0, count).mapToObj(i -> "u" + i + ",course-v1:A," + completion)
                .toArray(String[]::new));
    }

    private static long distinctIds(List<String> lines) {
        return new HashSet<>(lines.stream().map(l -> l.substring(0, l.indexOf(",\"schema_version\""))).toList()).size();
    }

    @Test
    void aFileSinkAddedAfterAJdbcSyncGetsEveryRecordOnceAndTheRunAfterWritesNone() throws Exception {
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(learners(2000, "0.5"))));
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.chunk-size", "500")
                .with("sync.sinks", "jdbc");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.recordLines()).isEmpty();

        service.with("sync.sinks", "jdbc,file");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.recordLines()).hasSize(2000);
        assertThat(distinctIds(service.recordLines())).isEqualTo(2000);
        assertThat(service.lastRun()).containsEntry("caught_up", 2000L).containsEntry("unchanged", 2000L);

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.recordLines()).as("the run after writes none").hasSize(2000);
        assertThat(service.lastRun()).containsEntry("caught_up", 0L);
    }

    @Test
    void aSinkRemovedThatMissedDeliveriesAndAddedAgainCatchesUpFromTheStore() throws Exception {
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(learners(300, "0.5"))));
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.chunk-size", "100")
                .with("sync.sinks", "jdbc,file");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.recordLines()).hasSize(300);

        // the file sink is left out while a record changes: it misses it
        service.with("sync.sinks", "jdbc");
        moocit.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(learners(300, "0.5").replaceFirst(
                "\"completion\":\"0.5\"", "\"completion\":\"1\""))));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.recordLines()).hasSize(300);
        // and an unchanged run without it misses nothing: it is not behind for that
        service.with("sync.sinks", "jdbc,file");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("caught_up", 300L);
        assertThat(service.recordLines()).hasSize(600);
        assertThat(service.recordLines()).filteredOn(l -> l.contains("\"progress\":1.0")).hasSize(1);
    }

    @Test
    void aWindowedStreamsSinkAddedLaterGetsRecordsTheVendorIsNotAskedForAgain() throws Exception {
        continuServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        Instant now = Instant.now();
        TestService service = ContinuSimulator.readBy(new TestService(dir),
                continuServer.baseUrl(), now).with("continu.requests-per-minute", "1000")
                .with("continu.rate-period-ms", "1000").with("sync.sinks", "jdbc");
        List<String> emails = IntStream.range(0, 20).mapToObj(i -> "l" + i + "@example.com").toList();
        Files.writeString(dir.resolve("roster.csv"), String.join("\n", emails));
        service.with("continu.roster-file", dir.resolve("roster.csv").toString());
        continu.fill(emails, now, 3); // updated up to 60 days ago
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        int served = continu.served.get();

        service.with("sync.sinks", "jdbc,file");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        // the next run asks only for its window (the last two hours), yet the files hold every record
        assertThat(continu.served.get() - served).as("one window: two roster batches a stream").isEqualTo(8);
        assertThat(service.recordLines()).hasSize(80);
        assertThat(distinctIds(service.recordLines())).isEqualTo(80);
    }
}

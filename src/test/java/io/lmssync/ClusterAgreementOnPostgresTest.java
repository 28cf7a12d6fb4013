package io.lmssync;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes of a cluster on one real PostgreSQL agree on what they run: a node started with another sink than the live
 * node stops at start, naming the setting and both values; with {@code sync.cluster.allow-differing=true} it starts
 * (a rolling change); a node that stopped no longer counts.
 */
class ClusterAgreementOnPostgresTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private TestService node(String name, String database, String sinks) {
        TestService node = TestService.readingMoocit(dir.resolve(name), moocit.baseUrl());
        node.with("sync.jdbc.url", database).with("sync.jdbc.username", "postgres").with("sync.jdbc.password", "")
                .with("sync.cluster", "true").with("sync.sinks", sinks)
                // no schedule fires during the test: agreement is about what the nodes would run
                .with("moocit.cron", "0 0 0 1 1 ? 2099");
        return node;
    }

    @Test
    void aNodeThatDiffersFromTheLiveNodeStopsAtStartUnlessDifferingIsAllowed() throws Exception {
        String database = TestPostgres.newDatabase();
        TestService first = node("first", database, "jdbc");
        try (LmsSync running = first.service(false).start()) {
            assertThat(first.count("SELECT COUNT(*) FROM cluster_node")).isEqualTo(1);

            TestService differing = node("second", database, "jdbc,file");
            assertThatThrownBy(() -> {
                try (LmsSync second = differing.service(false)) {
                    second.start();
                }
            }).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("sync.sinks is 'jdbc,file' here, 'jdbc' there")
                    .hasMessageContaining("sync.cluster.allow-differing");
            assertThat(first.count("SELECT COUNT(*) FROM cluster_node")).as("the refused node left no entry")
                    .isEqualTo(1);

            TestService alike = node("third", database, "jdbc");
            try (LmsSync third = alike.service(false).start()) {
                assertThat(first.count("SELECT COUNT(*) FROM cluster_node")).isEqualTo(2);
            }
            assertThat(first.count("SELECT COUNT(*) FROM cluster_node")).as("a stopped node leaves").isEqualTo(1);

            differing.with("sync.cluster.allow-differing", "true");
            try (LmsSync second = differing.service(false).start()) {
                assertThat(first.query("SELECT node FROM cluster_node")).hasSize(2);
            }
        }
        TestService changed = node("fourth", database, "jdbc,file");
        try (LmsSync alone = changed.service(false).start()) {
            assertThat(changed.query("SELECT parts FROM cluster_node")).extracting(row -> (String) row.get("parts"))
                    .singleElement().asString().contains("\"sync.sinks\":\"jdbc,file\"")
                    .doesNotContain(TestService.TOKEN);
        }
    }
}

package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of the packaged jar on one real PostgreSQL with sync.cluster=true and MOOCit every 2 seconds: each fire
 * runs once between them, and when the node that ran last is killed (SIGKILL) the other takes over.
 */
class ClusterIT {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path workdir;

    private final List<Process> nodes = new ArrayList<>();
    private String database;

    /** A run: when it started and which node (pid@host) ran it. */
    record Run(Instant started, String node) {
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Process node : nodes) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process startNode(int n) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "MOOCIT_ENABLED", "true", "MOOCIT_BASE_URL", moocit.baseUrl(), "MOOCIT_TOKEN", TestService.TOKEN,
                "MOOCIT_CRON", "0/2 * * * * ?",
                "SYNC_JDBC_URL", database, "SYNC_JDBC_USERNAME", "postgres", "SYNC_JDBC_PASSWORD", "",
                "SYNC_SINKS", "jdbc", "SYNC_CLUSTER", "true", "SYNC_CLUSTER_CHECKIN_INTERVAL_MS", "1000"));
        env.put("SYNC_WORK_DIRECTORY", workdir.resolve("work-" + n).toString());
        env.put("CAMEL_MANAGEMENT_ENABLED", "false");
        Process node = JarProcess.start(workdir, env, workdir.resolve("node-" + n + ".log"));
        nodes.add(node);
        return node;
    }

    private List<Run> runs() throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database, "postgres", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT started_at, node FROM sync_run ORDER BY started_at")) {
            while (rs.next()) {
                runs.add(new Run(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2)));
            }
        }
        return runs;
    }

    private long schedulers() throws Exception {
        try (Connection c = DriverManager.getConnection(database, "postgres", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM qrtz_scheduler_state")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * No fire ran on both nodes: two schedulers firing the same trigger start their runs within milliseconds of each
     * other, on different nodes; one clustered trigger puts its fires 2 seconds apart.
     */
    private static void assertNoFireRanTwice(List<Run> runs) {
        for (int i = 1; i < runs.size(); i++) {
            Run previous = runs.get(i - 1);
            Run run = runs.get(i);
            if (!run.node().equals(previous.node())) {
                assertThat(Duration.between(previous.started(), run.started()))
                        .as("runs on two nodes at once: %s and %s", previous, run).isGreaterThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void twoNodesFireEachTriggerOnceAndTheSurvivorTakesOverWhenOneIsKilled() throws Exception {
        JarProcess.prepare(workdir);
        database = TestPostgres.newDatabase();
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion"))
                .willReturn(okJson(MoocitSyncTest.answer("ana,course-v1:A,1"))));

        Process first = startNode(1);
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(workdir.resolve("node-1.log"))
                .contains("moocit-course-completions succeeded"));
        Process second = startNode(2);
        await().atMost(Duration.ofSeconds(90)).until(() -> schedulers() == 2);
        int before = runs().size();
        Instant bothUp = Instant.now();
        await().atMost(Duration.ofSeconds(60)).until(() -> runs().size() >= before + 5);
        Instant measured = Instant.now();

        List<Run> together = runs();
        assertNoFireRanTwice(together);
        assertThat(together.stream().filter(r -> r.started().isAfter(bothUp) && r.started().isBefore(measured)))
                .as("one run per 2-second fire while both nodes are up")
                .hasSizeLessThanOrEqualTo((int) (Duration.between(bothUp, measured).toMillis() / 2000) + 1);
        String lastNode = together.get(together.size() - 1).node();
        Process victim = lastNode.startsWith(first.pid() + "@") ? first : second;
        Process survivor = victim == first ? second : first;
        victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Instant killed = Instant.now();

        await().atMost(Duration.ofSeconds(60)).until(() -> runs().stream()
                .filter(r -> r.started().isAfter(killed)).count() >= 3);
        List<Run> after = runs().stream().filter(r -> r.started().isAfter(killed)).toList();
        System.out.printf("CLUSTER the survivor's first run began %.1f s after the kill%n",
                Duration.between(killed, after.get(0).started()).toMillis() / 1000.0);
        assertThat(after).extracting(Run::node).allMatch(node -> node.startsWith(survivor.pid() + "@"));
        assertNoFireRanTwice(runs());
        assertThat(survivor.isAlive()).isTrue();
    }
}

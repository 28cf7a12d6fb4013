package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.SyncWindows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery contract at exact route steps, with Camel's own test kit (camel-test-main-junit5): the real Camel Main
 * with the real application.properties and YAML routes, a fault woven into a real route with AdviceWith, and every
 * sink real (H2, NDJSON files, a Kafka broker from Kafka's test kit, a simulated Thrive, a real LRS). A chunk counts
 * only when every sink committed it and the cursor moves only after: after each fault, the next run leaves every
 * record once in the database, the files, the record index, Thrive and the LRS (Kafka is at-least-once: every record,
 * keyed, maybe twice).
 */
class DeliveryContractTest extends CamelMainTestSupport {

    /** The broker this class may have started goes with it: none is left for the JVM's exit to stop. */
    @org.junit.jupiter.api.AfterAll
    static void stopKafka() throws Exception {
        TestKafka.close();
    }

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final Path BASE = temporaryFolder();
    private static final String MOOCIT = "/api/so2/v1/completion";
    private static final String[] LEARNERS = IntStream.range(0, 7).mapToObj(i -> "u" + i + ",course-v1:A,1")
            .toArray(String[]::new);

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ContinuSimulator CONTINU = new ContinuSimulator();

    @RegisterExtension
    static WireMockExtension continuServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(CONTINU)).build();

    private static final ThriveSimulator THRIVE = new ThriveSimulator();

    @RegisterExtension
    static WireMockExtension thriveServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(THRIVE)).build();

    /** Set in {@link #configureContext}, which the test kit calls from its constructor (before field initialisers). */
    private TestService service;
    private TestLrs lrs;
    private String topic;
    private final AtomicBoolean fault = new AtomicBoolean(true);
    private final Instant now = Instant.now();

    @Override
    protected void configure(MainConfigurationProperties main) {
        main.addConfiguration(LmsSyncConfiguration.class);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true); // each test weaves its fault, then starts the context
    }

    @Override
    public void configureContext(CamelContextConfiguration camel) {
        super.configureContext(camel);
        Path dir = BASE.resolve("test-" + TESTS.incrementAndGet());
        topic = "contract-" + dir.getFileName();
        try {
            Files.createDirectories(dir);
            Path users = dir.resolve("thrive-users.csv");
            Files.writeString(users, "learner,thrive_user_id\n" + IntStream.range(0, 7)
                    .mapToObj(i -> "u" + i + "@example.com,U-" + i).collect(Collectors.joining("\n")));
            Path contents = dir.resolve("thrive-content.csv");
            Files.writeString(contents, "content,thrive_content_id\nmoocit:course-v1:A,C-A\ncontinu:k1,C-K1\n");
            Path roster = dir.resolve("roster.csv");
            Files.writeString(roster, IntStream.range(0, 30).mapToObj(i -> "learner" + i + "@example.com")
                    .collect(Collectors.joining("\n")));
            lrs = new TestLrs(dir);
            service = ThriveSimulator.pushedToBy(TestService.readingMoocit(dir, moocit.baseUrl()), thriveServer.baseUrl(),
                    users, contents)
                    .with("sync.run-once", "true") // no schedule fires: each test starts its runs
                    .with("sync.sinks", "jdbc,kafka,thrive,xapi,file")
                    .with("sync.kafka.brokers", TestKafka.brokers())
                    .with("sync.kafka.topic", topic)
                    .with("continu.enabled", "true")
                    .with("continu.base-url", continuServer.baseUrl() + "/v1")
                    .with("continu.token-url", continuServer.baseUrl() + "/v3/oauth2/access-token")
                    .with("continu.client-id", "client-1")
                    .with("continu.client-secret", "continu-test-secret-42")
                    .with("continu.roster-file", roster.toString())
                    .with("continu.start-date", Instant.now().minus(100, ChronoUnit.DAYS).toString())
                    .with("continu.requests-per-minute", "1000")
                    .with("continu.rate-period-ms", "1000")
                    .with("sync.settle-lag", "PT0S")
                    .with("sync.xapi.endpoint", lrs.endpoint())
                    .with("sync.xapi.username", TestLrs.KEY)
                    .with("sync.xapi.password", TestLrs.SECRET);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties overrides = new Properties();
        overrides.putAll(service.settings);
        camel.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @BeforeEach
    void vendors() {
        moocit.stubFor(get(urlPathEqualTo(MOOCIT)).willReturn(okJson(MoocitSyncTest.answer(LEARNERS))));
        continuServer.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        CONTINU.fill(IntStream.range(0, 30).mapToObj(i -> "learner" + i + "@example.com").toList(), now, 3);
        THRIVE.users.clear();
        THRIVE.contents.clear();
        THRIVE.held.clear();
        THRIVE.received.clear();
        IntStream.range(0, 7).forEach(i -> THRIVE.users.add("U-" + i));
        THRIVE.contents.add("C-A");
    }

    @AfterEach
    void stopLrs() throws Exception {
        lrs.close();
    }

    /** Fails the first exchange that reaches it (and that {@code when} accepts), then lets every one pass. */
    private org.apache.camel.Processor failOnce(Predicate<Exchange> when) {
        return exchange -> {
            if (when.test(exchange) && fault.getAndSet(false)) {
                throw new IllegalStateException("woven fault");
            }
        };
    }

    /** One run of the stream whose route consumes {@code endpoint}, waited for with Camel's NotifyBuilder. */
    private Map<String, Object> run(String routeId, String endpoint) throws Exception {
        Exchange start = context.getEndpoint(endpoint).createExchange();
        // the run's own exchange, not the copies its splitters make
        NotifyBuilder done = new NotifyBuilder(context).fromRoute(routeId)
                .filter(exchange -> exchange.getExchangeId().equals(start.getExchangeId())).whenDone(1).create();
        template.asyncSend(endpoint, start);
        assertThat(done.matches(60, TimeUnit.SECONDS)).as("the run of " + routeId + " ended").isTrue();
        return service.lastRun();
    }

    private Map<String, Object> moocitRun() throws Exception {
        return run("moocit-course-completions", "direct:moocit-course-completions");
    }

    /** How often each record id appears across the record files. */
    private Map<String, Long> fileLines() {
        return service.recordLines().stream().collect(Collectors.groupingBy(
                line -> line.substring(line.indexOf("\"record_id\":\"") + 13, line.indexOf("\",")),
                Collectors.counting()));
    }

    private List<String> kafkaKeys() throws Exception {
        return TestKafka.readAll(topic).stream().filter(m -> m.value() != null).map(ConsumerRecord::key).toList();
    }

    private static <T> Map<T, Long> counted(List<T> values) {
        return values.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private void assertEverythingOnce(int records) throws Exception {
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(records);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isEqualTo(records);
        assertThat(fileLines()).as("every record in the files exactly once").hasSize(records)
                .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(counted(kafkaKeys())).as("every record in Kafka (at least once)").hasSize(records);
        List<String> stated = new java.util.ArrayList<>();
        for (String verb : List.of("completed", "passed", "failed")) {
            lrs.statements(verb).forEach(s -> stated.add(s.at("/context/extensions")
                    .get(io.lmssync.sink.xapi.XapiStatements.RECORD_ID).asText()));
        }
        assertThat(counted(stated)).as("every complete record's statement once in the LRS")
                .hasSize((int) service.count("SELECT COUNT(*) FROM learning_record WHERE status IN ('completed', "
                        + "'passed', 'failed')")).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(stagingLeftovers()).isEmpty();
    }

    private List<Path> stagingLeftovers() {
        Path staging = service.dir.resolve("out/.staging");
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFailureAfterTheJdbcSinkAndBeforeTheFileSinkCountsNothingAndTheNextRunDeliversEachRecordOnce()
            throws Exception {
        AdviceWith.adviceWith(context, "deliver-file", a -> a.weaveAddFirst().process(failOnce(e -> true)));
        context.start();

        Map<String, Object> failed = moocitRun();

        assertThat(failed).containsEntry("status", "failed");
        // the first chunk (3 records) reached the jdbc sink, Kafka and Thrive, then the file sink failed
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).as("the jdbc sink committed").isEqualTo(3);
        assertThat(kafkaKeys()).as("so did Kafka").hasSize(3);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).as("but the chunk did not count").isZero();
        assertThat(service.files()).as("no file appeared").isEmpty();
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();

        Map<String, Object> next = moocitRun();

        assertThat(next).containsEntry("status", "succeeded").containsEntry("inserted", 7L);
        assertEverythingOnce(7);
        assertThat(THRIVE.held).as("Thrive holds each completion once").hasSize(7);
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isEqualTo(1);
    }

    @Test
    void aFailureAfterTheFileSinkAndBeforeTheIndexCommitPublishesNoFileAndTheNextRunWritesEachRecordOnce()
            throws Exception {
        AdviceWith.adviceWith(context, "deliver", a -> a.weaveById("commit-chunk").before()
                .process(failOnce(e -> true)));
        context.start();

        assertThat(moocitRun()).containsEntry("status", "failed");
        assertThat(service.files()).as("the staged file never appeared").isEmpty();
        assertThat(stagingLeftovers()).as("and was cleared when the run ended").isEmpty();
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();

        assertThat(moocitRun()).containsEntry("status", "succeeded").containsEntry("inserted", 7L);
        assertEverythingOnce(7);
        assertThat(moocitRun()).as("and a third run writes nothing").containsEntry("unchanged", 7L);
        assertEverythingOnce(7);
    }

    @Test
    void aFailureBetweenAWindowsLastChunkAndItsDoneLeavesTheCursorAndTheNextRunRewritesNothing() throws Exception {
        AdviceWith.adviceWith(context, "continu-assessments", a -> a.weaveById("window-done-*").before()
                .process(failOnce(e -> SyncWindows.window(e).number() == 2)));
        context.start();

        assertThat(run("continu-assessments", "direct:continu-assessments")).containsEntry("status", "failed");
        assertThat(service.query("SELECT status FROM sync_window ORDER BY window_start"))
                .extracting(r -> r.get("status")).containsExactly("done", "running");
        Instant cursor = ((java.time.OffsetDateTime) service.query("SELECT position FROM sync_cursor").get(0)
                .get("position")).toInstant();
        long windowOne = service.count("SELECT records FROM sync_window WHERE status = 'done'");
        long both = service.count("SELECT COUNT(*) FROM record_index");
        assertThat(both).as("window 2's chunks are in the sinks").isGreaterThan(windowOne);

        Map<String, Object> next = run("continu-assessments", "direct:continu-assessments");

        assertThat(next).containsEntry("status", "succeeded").containsEntry("fetched", 30L - windowOne)
                .containsEntry("inserted", 30L - both);
        assertThat(service.query("SELECT position FROM sync_cursor").get(0).get("position"))
                .isNotEqualTo(cursor.atOffset(java.time.ZoneOffset.UTC));
        assertEverythingOnce(30);
    }

    @Test
    void aFailureInsideTheThrivePushAfterThriveAnsweredLeavesNoCompletionPushedTwiceOrLost() throws Exception {
        AdviceWith.adviceWith(context, "thrive-push", a -> a.weaveById("thrive-pushed").before()
                .process(failOnce(e -> true)));
        context.start();

        assertThat(moocitRun()).containsEntry("status", "failed");
        assertThat(THRIVE.held).as("Thrive took the first completion").hasSize(1);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).isZero();

        assertThat(moocitRun()).containsEntry("status", "succeeded");

        assertThat(THRIVE.held).as("each completion once at Thrive").hasSize(7);
        assertThat(THRIVE.received).filteredOn(r -> r.status() == 201).hasSize(7);
        assertThat(service.count("SELECT COUNT(*) FROM push_done")).isEqualTo(7);
        assertEverythingOnce(7);
    }

    @Test
    void aFailureAfterTheLrsTookAChunkSendsNoneOfItsStatementsAgainAndTheNextRunSendsTheRestOnce() throws Exception {
        AdviceWith.adviceWith(context, "deliver-xapi", a -> a.weaveAddLast().process(failOnce(e -> true)));
        context.start();

        assertThat(moocitRun()).containsEntry("status", "failed");
        assertThat(lrs.statements("completed")).as("the LRS took the first chunk").hasSize(3);
        assertThat(service.count("SELECT COUNT(*) FROM record_index")).as("but the chunk did not count").isZero();
        long calls = lrs.statementCalls();

        assertThat(moocitRun()).containsEntry("status", "succeeded").containsEntry("inserted", 7L);

        assertThat(lrs.statementCalls() - calls).as("one POST for each of the two other chunks").isEqualTo(2);
        assertEverythingOnce(7);
        assertThat(moocitRun()).as("and a third run sends nothing").containsEntry("unchanged", 7L);
        assertThat(lrs.statementCalls() - calls).isEqualTo(2);
    }

    private static Path temporaryFolder() {
        try {
            Path base = Files.createTempDirectory("lms-sync-contract");
            base.toFile().deleteOnExit();
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

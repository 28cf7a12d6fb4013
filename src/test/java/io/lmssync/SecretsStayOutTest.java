package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.ops.MaskingPatternLayout;
import io.lmssync.ops.Secrets;
import io.lmssync.sync.RunOnce;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The vendor token is used on the wire and nowhere else: not in DEBUG logs, files, the database or JMX. */
class SecretsStayOutTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ThriveSimulator thrive = new ThriveSimulator();

    @RegisterExtension
    static WireMockExtension thriveServer = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(thrive)).build();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;
    private Level rootLevel;

    /** Everything logged, at DEBUG, laid out exactly as the console appender of logback.xml lays it out. */
    @BeforeEach
    void captureEverythingAtDebug() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(logging);
        layout.setPattern("%d %-5level [%thread] %logger - %msg%n");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(logging);
        encoder.setLayout(layout);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(logging);
        appender.setEncoder(encoder);
        appender.setOutputStream(logged);
        appender.start();
        Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(appender);
    }

    @AfterEach
    void restoreLogging() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        TALKATIVE.forEach(name -> logging.getLogger(name).setLevel(Level.INFO));
    }

    /** Loggers that print resolved property values and HTTP headers at DEBUG; logback.xml holds them at INFO. */
    private static final List<String> TALKATIVE = List.of("org.apache.camel.component.properties",
            "org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire");

    @Test
    void evenLoggersThatPrintPropertyValuesAndHeadersAtDebugShowNoToken() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        TALKATIVE.forEach(name -> logging.getLogger(name).setLevel(Level.DEBUG));
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson("[]")));

        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String management = "management-password-in-the-environment";
        assertThat(TestService.readingMoocit(dir, moocit.baseUrl())
                .with("camel.management.enabled", "true")
                .with("camel.management.port", String.valueOf(port))
                .with("sync.management.password", management).runOnce()).isEqualTo(RunOnce.OK);

        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the token was in those loggers' lines, masked").contains("moocit.token", "Bearer ******",
                "sync.management.password");
        assertThat(log).doesNotContain(TestService.TOKEN, management);
    }

    @Test
    void aSyncAtDebugWithTheTokenAcceptedAndThenRejectedLogsNoToken() throws Exception {
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("camel.main.jmx-enabled", "true");
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion"))
                .willReturn(okJson("[{\"username\":\"ana\",\"course_id\":\"c1\",\"completion\":\"zz\"},"
                        + "{\"username\":\"ben\",\"course_id\":\"c1\",\"completion\":\"0.5\"}]")));
        List<String> jmxTexts;
        try (LmsSync running = service.service(true)) {
            assertThat(running.start().runOnce()).isEqualTo(RunOnce.OK);
            jmxTexts = mbeanAttributes();
        }
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(unauthorized()));
        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        moocit.verify(getRequestedFor(urlPathEqualTo("/api/so2/v1/completion"))
                .withHeader("Authorization", equalTo("Bearer " + TestService.TOKEN)));
        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the capture holds the DEBUG chatter of a whole sync")
                .contains("DEBUG", "moocit-course-completions succeeded", "moocit-course-completions failed",
                        "check moocit.token");
        assertThat(log).doesNotContain(TestService.TOKEN);
        assertThat(jmxTexts).as("the service's MBeans were read").hasSizeGreaterThan(100)
                .noneMatch(text -> text.contains(TestService.TOKEN));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as("file %s", file).doesNotContain(TestService.TOKEN);
            }
        }
        assertThat(service.query("SELECT reason, raw FROM dead_letter").toString()).contains("zz")
                .doesNotContain(TestService.TOKEN);
    }

    @Test
    void theLrsSecretIsInNoLogLineAtAnyLevelWhetherTheLrsTakesTheStatementsOrRejectsTheKey() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.TRACE);
        TALKATIVE.forEach(name -> logging.getLogger(name).setLevel(Level.TRACE));
        String path = "/api/so2/v1/completion";
        moocit.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(XapiSinkTest.learners(0, 20, 5))));
        List<String> basics = Stream.of(TestLrs.KEY, "someone-else").map(key -> java.util.Base64.getEncoder()
                .encodeToString((key + ":" + TestLrs.SECRET).getBytes(StandardCharsets.UTF_8))).toList();

        try (TestLrs lrs = new TestLrs(dir)) {
            TestService service = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.sinks", "jdbc,xapi")
                    .with("sync.xapi.endpoint", lrs.endpoint()).with("sync.xapi.username", TestLrs.KEY)
                    .with("sync.xapi.password", TestLrs.SECRET);
            assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
            assertThat(lrs.statements("completed")).hasSize(5);
            // a key the LRS does not know: it answers 401, and the run fails naming the settings
            moocit.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(XapiSinkTest.learners(0, 20, 8))));
            assertThat(service.with("sync.xapi.username", "someone-else").runOnce())
                    .isEqualTo(RunOnce.STREAM_FAILED);
            assertThat(service.query("SELECT * FROM sync_run").toString()).doesNotContain(TestLrs.SECRET);
        }

        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the capture holds a whole sync at TRACE, and the LRS's refusal")
                .contains("TRACE", "moocit-course-completions succeeded", "xapi_sent=5 xapi_voided=0",
                        "rejected the credentials (HTTP 401)", "sync.xapi.password");
        assertThat(log).doesNotContain(TestLrs.SECRET).doesNotContain(basics.get(0)).doesNotContain(basics.get(1));
    }

    @Test
    void theTextLayoutMasksSecretsHoldingQuotesBackslashesSlashesAndSpacesInMessagesAndStackTraces() {
        List<String> secrets = List.of("t3xt/p\"ass \\w x", "another \"quoted\" one/\\");
        secrets.forEach(Secrets::register);

        LoggerFactory.getLogger(SecretsStayOutTest.class).error("rejected {}", secrets.get(0),
                new IllegalStateException("token " + secrets.get(1) + " refused"));

        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("rejected " + Secrets.MASK, "token " + Secrets.MASK + " refused");
        secrets.forEach(secret -> assertThat(log).doesNotContain(secret));
    }

    @Test
    void anApiUserNamedSyncIsNoSecretSoLmsSyncStaysReadableWhileThePasswordIsMasked() throws Exception {
        String password = "p/a\"ss \\word x";
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl())
                .with("absorb.enabled", "true")
                .with("absorb.username", "sync")
                .with("absorb.password", password)
                .with("absorb.api-key", "absorb-key-2718281828");

        try (LmsSync running = service.service(true)) {
            running.start();
            LoggerFactory.getLogger(SecretsStayOutTest.class).info("absorb logs in as sync with {}", password);
        }

        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("(lms-sync) started", "absorb logs in as sync with " + Secrets.MASK)
                .doesNotContain(password);
        assertThat(Secrets.mask("lms-sync syncs")).isEqualTo("lms-sync syncs");
    }

    @Test
    void aPasswordInTheJdbcUrlIsNeitherLoggedNorInTheStartUpErrorWhichNamesTheDatabaseWithoutIt() throws Exception {
        String h2Password = "h2 url/pass\"word";
        TestService h2 = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.jdbc.url",
                "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";PASSWORD=" + h2Password);
        try (LmsSync running = h2.service(true)) {
            running.start();
        }
        String pgPassword = "pg-url-secret-4567";
        TestService postgres = TestService.readingMoocit(dir, moocit.baseUrl()).with("sync.jdbc.url",
                "jdbc:postgresql://127.0.0.1:9/lms?user=lms&password=" + pgPassword + "&ssl=false");
        assertThatThrownBy(() -> {
            try (LmsSync running = postgres.service(true)) {
                running.start();
            }
        }).satisfies(e -> assertThat(configurationError(e)).isNotNull().extracting(Throwable::getMessage).asString()
                .contains("cannot open the database at sync.jdbc.url (jdbc:postgresql://127.0.0.1:9/lms?...)")
                .doesNotContain(pgPassword));

        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("jdbc:h2:file:").doesNotContain(h2Password, "h2 url/pass", pgPassword);
    }

    private static ConfigurationException configurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
        }
        return null;
    }

    /** Every readable attribute of every Camel MBean, as text. */
    @Test
    void theThrivePushAtDebugShowsNoClientSecretTokenOrBasicCredentials() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        TALKATIVE.forEach(name -> logging.getLogger(name).setLevel(Level.DEBUG));
        thrive.users.add("U-ANA");
        thrive.contents.add("C-A");
        Path users = Files.writeString(dir.resolve("users.csv"), "learner,thrive_user_id\nana@example.com,U-ANA\n"
                + "ben@example.com,U-BEN\n");
        Path contents = Files.writeString(dir.resolve("content.csv"), "content,thrive_content_id\nmoocit:c1,C-A\n");
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(MoocitSyncTest.answer(
                "ana,c1,1", "ben,c1,1", "cy,c1,1"))));
        TestService service = ThriveSimulator.pushedToBy(TestService.readingMoocit(dir, moocit.baseUrl()),
                        thriveServer.baseUrl(), users, contents)
                .with("camel.main.jmx-enabled", "true")
                .with("sync.sinks", "jdbc,thrive,file");
        List<String> jmxTexts;
        try (LmsSync running = service.service(true)) {
            assertThat(running.start().runOnce()).isEqualTo(RunOnce.OK);
            jmxTexts = mbeanAttributes();
        }

        String clientBasic = java.util.Base64.getEncoder().encodeToString(
                (ThriveSimulator.CLIENT_ID + ":" + ThriveSimulator.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        List<String> secrets = List.of(ThriveSimulator.CLIENT_SECRET, clientBasic, "thrive-token-1");
        assertThat(thrive.received).as("one pushed, one refused (U-BEN unknown to Thrive)").hasSize(2);
        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("thrive_pushed=1 thrive_pending=1 thrive_refused=1");
        assertThat(jmxTexts).anyMatch(text -> text.contains("lms-sync:type=account,name=thrive"));
        String tables = service.query("SELECT * FROM dead_letter").toString() + service.query(
                "SELECT * FROM push_pending") + service.query("SELECT * FROM push_done") + service.query(
                "SELECT * FROM sync_run");
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
            assertThat(jmxTexts).noneMatch(text -> text.contains(secret));
            assertThat(tables).doesNotContain(secret);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                            .as("file %s", file).doesNotContain(secret);
                }
            }
        }
    }

    private static List<String> mbeanAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> texts = new ArrayList<>();
        List<ObjectName> names = new ArrayList<>(server.queryNames(new ObjectName("org.apache.camel:*"), null));
        names.addAll(server.queryNames(new ObjectName("lms-sync:*"), null));
        for (ObjectName name : names) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                try {
                    texts.add(name + " " + attribute.getName() + "=" + server.getAttribute(name, attribute.getName()));
                } catch (Exception | Error unreadable) {
                    // some attributes cannot be read outside a running exchange; they hold no configuration
                }
            }
        }
        return texts;
    }
}

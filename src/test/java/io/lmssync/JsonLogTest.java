package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.ops.Secrets;
import io.lmssync.record.Json;
import io.lmssync.sync.RunOnce;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** LOG_FORMAT=json as logback.xml configures it: the field names log pipelines expect, and no secret in any value. */
class JsonLogTest {

    @RegisterExtension
    static WireMockExtension moocit = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    /** The encoder of logback.xml's json appender, configured in a context of its own (LOG_FORMAT=json). */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> jsonEncoder() throws Exception {
        LoggerContext context = new LoggerContext();
        context.putProperty("LOG_FORMAT", "json");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(JsonLogTest.class.getResource("/logback.xml"));
        OutputStreamAppender<ILoggingEvent> json = (OutputStreamAppender<ILoggingEvent>) context
                .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json");
        return json.getEncoder();
    }

    @Test
    void secretsHoldingQuotesBackslashesSlashesAndSpacesAreMaskedInEveryFieldBeforeEscaping() throws Exception {
        List<String> secrets = List.of("p/a\"ss \\word x", "tok\\\"en/with \"quotes\"", "back\\\\slash\\n");
        secrets.forEach(Secrets::register);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("io.lmssync.test");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR,
                "{} failed with {} and {}", new IllegalStateException("token " + secrets.get(1) + " rejected"),
                new Object[] {"moocit-course-completions", secrets.get(0), secrets.get(2)});
        event.setMDCPropertyMap(Map.of("stream", "moocit-course-completions", "run_id", "7",
                "authorization", "Bearer " + secrets.get(1)));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("password", secrets.get(0)));

        String line = new String(jsonEncoder().encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").hasLineCount(1);
        for (String secret : secrets) {
            assertThat(line).doesNotContain(secret, Json.write(secret).replaceAll("^\"|\"$", ""));
        }
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("@timestamp").asText()).isNotEmpty();
        assertThat(json.path("level").asText()).isEqualTo("ERROR");
        assertThat(json.path("logger_name").asText()).isEqualTo("io.lmssync.test");
        assertThat(json.path("message").asText()).isEqualTo("moocit-course-completions failed with " + Secrets.MASK
                + " and " + Secrets.MASK);
        assertThat(json.path("stream").asText()).isEqualTo("moocit-course-completions");
        assertThat(json.path("run_id").asText()).isEqualTo("7");
        assertThat(json.path("authorization").asText()).isEqualTo("Bearer " + Secrets.MASK);
        assertThat(json.path("password").asText()).isEqualTo(Secrets.MASK);
        assertThat(json.path("stack_trace").asText()).contains("token " + Secrets.MASK + " rejected");
    }

    @Test
    void everyLineARunLogsCarriesItsStreamAndRunIdAndNothingAfterItDoes() throws Exception {
        moocit.stubFor(get(urlPathEqualTo("/api/so2/v1/completion")).willReturn(okJson(
                MoocitSyncTest.answer("ana,c1,1", "ben,c1,0.5"))));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(jsonEncoder());
        appender.setOutputStream(logged);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger download = context.getLogger("io.lmssync.source.AnswerDownload");
        root.addAppender(appender);
        download.setLevel(Level.DEBUG); // its line is written from inside the stream's route
        TestService service = TestService.readingMoocit(dir, moocit.baseUrl());
        try {
            assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
            LoggerFactory.getLogger(JsonLogTest.class).info("after the run");
        } finally {
            root.detachAppender(appender);
            download.setLevel(null);
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(Json.MAPPER.readTree(line));
        }
        String runId = String.valueOf(service.lastRun().get("id"));
        for (String message : List.of("moocit-course-completions: run " + runId + " started",
                "moocit-course-completions: answer of", "moocit-course-completions succeeded")) {
            assertThat(lines).as(message).anySatisfy(json -> {
                assertThat(json.path("message").asText()).startsWith(message);
                assertThat(json.path("stream").asText()).isEqualTo("moocit-course-completions");
                assertThat(json.path("run_id").asText()).isEqualTo(runId);
                assertThat(json.path("logger_name").asText()).startsWith("io.lmssync.");
            });
        }
        assertThat(lines).filteredOn(json -> json.path("message").asText().equals("after the run"))
                .singleElement().satisfies(json -> assertThat(json.has("stream")).isFalse());
    }
}

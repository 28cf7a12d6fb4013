package io.lmssync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** LOG_FORMAT=json: one JSON object a line, secrets masked as in the text layout. */
class MaskingJsonEncoderTest {

    @Test
    void aLineIsOneJsonObjectWithTheFormattedMessageAndNoSecret() throws Exception {
        String secret = Secrets.register("json-log-secret-31337");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        MaskingJsonEncoder encoder = new MaskingJsonEncoder();
        encoder.setContext(context);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        Logger logger = context.getLogger("io.lmssync.test");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR,
                "{} failed with token {}", new IllegalStateException("token " + secret + " rejected"),
                new Object[] {"moocit-course-completions", secret});

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").doesNotContain(secret).hasLineCount(1);
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("ERROR");
        assertThat(json.path("loggerName").asText()).isEqualTo("io.lmssync.test");
        assertThat(json.path("formattedMessage").asText())
                .isEqualTo("moocit-course-completions failed with token " + Secrets.MASK);
        assertThat(json.path("throwable").toString()).contains("token " + Secrets.MASK + " rejected");
    }
}

package io.lmssync.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The tests run many services in one JVM: a quiet console closed puts every level back where it was, a start-up
 * logger that it raises twice (first as start-up detail, then as one with a level of its own) included.
 */
class QuietConsoleTest {

    @Test
    void closingPutsEveryLevelBackEvenOfALoggerRaisedTwice() {
        assumeTrue(System.getProperty("LOG_LEVEL") == null && System.getenv("LOG_LEVEL") == null,
                "LOG_LEVEL chosen: the console is not quieted");
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level camel = logging.getLogger("org.apache.camel").getLevel();
        Level root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
        try (QuietConsole console = QuietConsole.quiet(true)) {
            assertThat(logging.getLogger("org.apache.camel").getEffectiveLevel()).isEqualTo(Level.WARN);
            assertThat(logging.getLogger("io.lmssync.sync.RunOnce").getEffectiveLevel()).isEqualTo(Level.INFO);
        }
        assertThat(logging.getLogger("org.apache.camel").getLevel()).isEqualTo(camel);
        assertThat(logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(root);
    }
}

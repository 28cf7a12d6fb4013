package io.lmssync.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What a {@code --once} or {@code --demo} run shows on the console when LOG_LEVEL is not set: warnings, errors and the
 * lines that matter, not Camel's start-up summaries, every route's start and stop, Flyway's migrations and, in a run
 * that ends with its table, each stream's progress lines. Setting LOG_LEVEL (INFO, DEBUG...) shows everything again.
 */
public final class QuietConsole implements AutoCloseable {

    /** Start-up detail: Camel's configuration and placeholder summaries, route and Quartz lines; the migrations. */
    static final List<String> START_UP = List.of("org.apache.camel", "org.flywaydb");
    /** A stream's run as it goes: the table the run ends with says how each went (failures still log as ERROR). */
    static final List<String> PROGRESS = List.of("io.lmssync.sync.SyncRuns", "io.lmssync.sync.SyncWindows",
            "io.lmssync.source.CachedTokenProvider", "io.lmssync.ops.ControlPlane", "io.lmssync.check");

    /** Set by the process's main: levels stay raised to the end (Camel's shutdown hook may log after a run). */
    private static volatile boolean untilExit;

    private final Map<Logger, Level> before = new LinkedHashMap<>();

    private QuietConsole() {
    }

    /**
     * Quiets the console for the rest of the process, or until closed.
     *
     * @param oneRun the run ends with its table ({@code --once}, {@code --apply-held}): progress lines go quiet too
     */
    public static QuietConsole quiet(boolean oneRun) {
        QuietConsole console = new QuietConsole();
        if (logLevelChosen() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext logging)) {
            return console;
        }
        START_UP.forEach(name -> console.raise(logging.getLogger(name)));
        if (oneRun) {
            PROGRESS.forEach(name -> console.raise(logging.getLogger(name)));
        }
        return console;
    }

    /** LOG_LEVEL as logback.xml reads it: a system property, else an environment variable. */
    private static boolean logLevelChosen() {
        return System.getProperty("LOG_LEVEL") != null || System.getenv("LOG_LEVEL") != null;
    }

    private void raise(Logger logger) {
        before.put(logger, logger.getLevel());
        if (logger.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
            return; // already as quiet (logback.xml's own choice, e.g. org.quartz at WARN)
        }
        logger.setLevel(Level.WARN);
    }

    /**
     * The log goes to standard error for the rest of the process (a command whose output is its report, such as
     * {@code --check}, keeps standard output to it).
     */
    public static void toStandardError() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appender -> {
                if (appender instanceof ch.qos.logback.core.ConsoleAppender<?> console) {
                    console.stop();
                    console.setTarget("System.err");
                    console.start();
                }
            });
        }
    }

    /** Keeps the console quiet until the JVM exits: {@link #close} leaves the levels raised. */
    public static void untilExit() {
        untilExit = true;
    }

    /** Puts the levels back (the tests run more than one service in one JVM). */
    @Override
    public void close() {
        if (!untilExit) {
            before.forEach(Logger::setLevel);
        }
        before.clear();
    }
}

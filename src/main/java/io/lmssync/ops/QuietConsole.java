package io.lmssync.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What a {@code --once} or {@code --demo} run shows on the console when LOG_LEVEL is not set. A run that ends with its
 * table ({@code --once}): warnings, errors and the table, no INFO line else. A {@code --demo} service: also lms-sync's
 * own lines (where to look, each stream's progress), not Camel's start-up summaries, every route's start and stop or
 * Flyway's migrations. Setting LOG_LEVEL (INFO, DEBUG...) shows everything again.
 */
public final class QuietConsole implements AutoCloseable {

    /** Start-up detail: Camel's configuration and placeholder summaries, route and Quartz lines; the migrations. */
    static final List<String> START_UP = List.of("org.apache.camel", "org.flywaydb");
    /** What a run that ends with its table says at INFO: the table (and what each --apply-held or --replay did). */
    static final String TABLE = "io.lmssync.sync.RunOnce";

    /** Set by the process's main: levels stay raised to the end (Camel's shutdown hook may log after a run). */
    private static volatile boolean untilExit;

    private final Map<Logger, Level> before = new LinkedHashMap<>();

    private QuietConsole() {
    }

    /**
     * Quiets the console for the rest of the process, or until closed.
     *
     * @param oneRun the run ends with its table ({@code --once}, {@code --apply-held}): every INFO line but the table
     *     goes quiet
     */
    public static QuietConsole quiet(boolean oneRun) {
        QuietConsole console = new QuietConsole();
        if (logLevelChosen() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext logging)) {
            return console;
        }
        START_UP.forEach(name -> console.raise(logging.getLogger(name)));
        if (oneRun) {
            // every logger logback.xml gives a level of its own, and the root, which the rest follow
            logging.getLoggerList().stream().filter(logger -> logger.getLevel() != null).forEach(console::raise);
            Logger table = logging.getLogger(TABLE);
            console.remember(table);
            table.setLevel(Level.INFO);
        }
        return console;
    }

    /** LOG_LEVEL as logback.xml reads it: a system property, else an environment variable. */
    private static boolean logLevelChosen() {
        return System.getProperty("LOG_LEVEL") != null || System.getenv("LOG_LEVEL") != null;
    }

    private void raise(Logger logger) {
        // the level before this console's first change: a logger raised twice (a start-up one, which then has a
        // level of its own) goes back to where it was, not to WARN, for the next service of the JVM
        remember(logger);
        if (logger.getEffectiveLevel().isGreaterOrEqual(Level.WARN)) {
            return; // already as quiet (logback.xml's own choice, e.g. org.quartz at WARN)
        }
        logger.setLevel(Level.WARN);
    }

    /** Keeps the logger's level before this console's first change (null, inherited, is a level too). */
    private void remember(Logger logger) {
        if (!before.containsKey(logger)) {
            before.put(logger, logger.getLevel());
        }
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

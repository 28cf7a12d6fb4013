package io.lmssync;

import io.lmssync.check.Check;
import io.lmssync.check.CheckReport;
import io.lmssync.demo.DemoSources;
import io.lmssync.record.Json;
import io.lmssync.ops.QuietConsole;
import io.lmssync.sync.RunOnce;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar lms-sync.jar [--once] [--demo] [--properties=FILE] [key=value ...]}. */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    static final String USAGE = """
            usage: java -jar lms-sync.jar [--once [--reconcile | --replay STREAM,...] | --apply-held=STREAM,...
                                          | --check [STREAM,...] [--json]] [--demo] [--properties=FILE] [key=value ...]
                                          |  --version
              --once             one pass of every enabled vendor, a table with a row per stream, then exit
                                 (0 all succeeded, 1 a stream failed, 2 nothing could run,
                                  3 all succeeded but deletions were held for an operator)
              --reconcile        with --once: a reconciliation pass (the whole history, to find deletes)
              --apply-held=STREAM,...  apply the deletions the named streams hold (after a held=n summary), then exit
              --replay STREAM,...  with --once: map the streams' raw archives (then dead letters) again through
                                 today's mappers and deliver what changed, with no request to a source
              --check [STREAM,...]  first contact: the few smallest requests a sync would make, for every enabled
                                 stream (or those named) and the Thrive push, proving what the vendors' pages leave
                                 open; a table of checks with their evidence and the setting to fix; writes nothing
                                 (0 all held, warnings allowed; 1 a check failed; 2 a configuration error)
              --json             with --check: the report as JSON on standard output
              --demo             sync the built-in sample vendors served on localhost (no account needed)
              --properties=FILE  the settings file (default ./application.properties)
              key=value          override one setting (also: environment variable KEY_NAME)
              --version          print the version, then exit
            with --once or --demo the console shows warnings, errors and a table at the end; LOG_LEVEL=INFO (or DEBUG)
            shows every line
            """;

    private Application() {
    }

    public static void main(String[] args) {
        QuietConsole.untilExit();
        System.exit(run(args));
    }

    /** Reads the command line and runs the service as it says; the exit code ({@link RunOnce}'s). */
    static int run(String... args) {
        CommandLine line = CommandLine.read(args);
        if (line.answered() != null) {
            return line.answered();
        }
        if (line.check() != null) {
            // the console is the report's: the log goes to standard error
            QuietConsole.toStandardError();
        }
        boolean oneRun = line.onePassAsked();
        Map<String, String> overrides = new LinkedHashMap<>(line.overrides());
        try (QuietConsole console = oneRun || line.demo() ? QuietConsole.quiet(oneRun) : null;
                DemoSources sources = line.demo() ? DemoSources.start() : null) {
            if (sources != null) {
                overrides.putAll(sources.settings());
                LOG.info("demo: sample sources answer on localhost; nothing leaves this machine");
            }
            LmsSync service = new LmsSync(line.properties(), overrides);
            try {
                service.start();
                return service.runOnceMode() ? onePass(service, line) : untilStopped(service, line.demo());
            } finally {
                service.close();
            }
        } catch (Exception e) {
            return stopped(e);
        }
    }

    /** A service on its schedules, until it is stopped; a demo's streams run at once. */
    private static int untilStopped(LmsSync service, boolean demo) throws Exception {
        if (demo) {
            // the page and the meters have something to show before the first schedule fires
            service.runEveryStreamNow().forEach(LOG::info);
        }
        service.runUntilStopped();
        return RunOnce.OK;
    }

    /** One pass, of the mode the command line asks for; the exit code says how it went. */
    private static int onePass(LmsSync service, CommandLine line) throws Exception {
        if (line.check() != null) {
            return check(service, line.check(), line.json());
        }
        if (!line.applyHeld().isEmpty()) {
            return service.applyHeld(line.applyHeld());
        }
        if (!line.replay().isEmpty()) {
            return service.replay(line.replay());
        }
        return line.reconcile() ? service.reconcileOnce() : service.runOnce();
    }

    /** The service did not run to its end: a configuration error is logged as its message, anything else in full. */
    private static int stopped(Exception e) {
        ConfigurationException bad = configurationError(e);
        if (bad == null) {
            LOG.error("lms-sync stopped: {}", e.getMessage(), e);
            return RunOnce.NOT_RUN;
        }
        LOG.error("configuration error: {}", bad.getMessage());
        return RunOnce.NOT_RUN;
    }

    /** {@code --check}: the report on standard output, as a table or JSON; the exit code says how it went. */
    private static int check(LmsSync service, List<String> streams, boolean json) throws Exception {
        CheckReport report = service.check(streams);
        System.out.print(json ? Json.write(report.json()) + "\n" : report.table());
        System.out.flush();
        return report.outcome() == Check.Outcome.FAILED ? RunOnce.STREAM_FAILED : RunOnce.OK;
    }

    /** The project's version, as the build wrote it into {@code io/lmssync/version.properties}. */
    static String version() {
        Properties version = new Properties();
        try (InputStream in = Application.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                version.load(in);
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        return version.getProperty("version", "unknown");
    }

    private static ConfigurationException configurationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return c;
            }
            if (t instanceof org.apache.camel.PropertyBindingException binding) {
                // a camel.* key Camel does not know, or a value it cannot take
                String key = binding.getOptionPrefix() == null ? binding.getPropertyName()
                        : binding.getOptionPrefix() + "." + binding.getPropertyName();
                return new ConfigurationException(key + " is not a setting Camel takes, or its value does not fit it: "
                        + binding.getMessage());
            }
        }
        return null;
    }
}

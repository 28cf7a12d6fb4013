package io.lmssync;

import io.lmssync.check.Check;
import io.lmssync.check.CheckReport;
import io.lmssync.demo.DemoSources;
import io.lmssync.record.Json;
import io.lmssync.ops.QuietConsole;
import io.lmssync.sync.RunOnce;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
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

    static int run(String... args) {
        Path properties = Path.of("application.properties");
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean demo = false;
        boolean reconcile = false;
        List<String> applyHeld = List.of();
        List<String> replay = List.of();
        List<String> check = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--once")) {
                overrides.put("sync.run-once", "true");
                // one pass, then exit: nobody scrapes /observe, and a busy port must not stop a job
                overrides.putIfAbsent("camel.management.enabled", "false");
            } else if (arg.equals("--reconcile")) {
                reconcile = true;
            } else if (arg.startsWith("--apply-held=")) {
                applyHeld = Arrays.stream(arg.substring("--apply-held=".length()).split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
                overrides.put("sync.run-once", "true");
                overrides.putIfAbsent("camel.management.enabled", "false");
            } else if (arg.equals("--replay") || arg.startsWith("--replay=")) {
                String names = arg.contains("=") ? arg.substring("--replay=".length())
                        : i + 1 < args.length ? args[++i] : "";
                replay = Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                if (replay.isEmpty()) {
                    System.err.print("--replay names the streams to replay: --replay STREAM,...\n" + USAGE);
                    return RunOnce.NOT_RUN;
                }
            } else if (arg.equals("--check") || arg.startsWith("--check=")) {
                String names = arg.contains("=") ? arg.substring("--check=".length())
                        : i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].contains("=")
                                ? args[++i] : "";
                check = Arrays.stream(names.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
                overrides.put("sync.run-once", "true");
                overrides.putIfAbsent("camel.management.enabled", "false");
            } else if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--demo")) {
                demo = true;
            } else if (arg.startsWith("--properties=")) {
                properties = Path.of(arg.substring("--properties=".length()));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.print(USAGE);
                return RunOnce.OK;
            } else if (arg.equals("--version")) {
                System.out.println("lms-sync " + version());
                return RunOnce.OK;
            } else if (!arg.startsWith("-") && arg.contains("=")) {
                overrides.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                System.err.print("unknown argument '" + arg + "'\n" + USAGE);
                return RunOnce.NOT_RUN;
            }
        }
        if ((reconcile || !replay.isEmpty()) && !"true".equals(overrides.get("sync.run-once"))) {
            System.err.print((reconcile ? "--reconcile" : "--replay") + " runs with --once\n" + USAGE);
            return RunOnce.NOT_RUN;
        }
        if (json && check == null) {
            System.err.print("--json goes with --check\n" + USAGE);
            return RunOnce.NOT_RUN;
        }
        if (check != null) {
            // the console is the report's: the log goes to standard error
            QuietConsole.toStandardError();
        }
        boolean oneRun = "true".equals(overrides.get("sync.run-once"));
        try (QuietConsole console = oneRun || demo ? QuietConsole.quiet(oneRun) : null;
                DemoSources sources = demo ? DemoSources.start() : null) {
            if (sources != null) {
                overrides.putAll(sources.settings());
                LOG.info("demo: sample sources answer on localhost; nothing leaves this machine");
            }
            LmsSync service = new LmsSync(properties, overrides);
            try {
                service.start();
                if (!service.runOnceMode()) {
                    if (demo) {
                        // the page and the meters have something to show before the first schedule fires
                        service.runEveryStreamNow().forEach(LOG::info);
                    }
                    service.runUntilStopped();
                    return RunOnce.OK;
                }
                if (check != null) {
                    return check(service, check, json);
                }
                if (!applyHeld.isEmpty()) {
                    return service.applyHeld(applyHeld);
                }
                if (!replay.isEmpty()) {
                    return service.replay(replay);
                }
                return reconcile ? service.reconcileOnce() : service.runOnce();
            } finally {
                service.close();
            }
        } catch (Exception e) {
            ConfigurationException bad = configurationError(e);
            if (bad == null) {
                LOG.error("lms-sync stopped: {}", e.getMessage(), e);
                return RunOnce.NOT_RUN;
            }
            LOG.error("configuration error: {}", bad.getMessage());
            return RunOnce.NOT_RUN;
        }
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

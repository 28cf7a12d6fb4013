package io.lmssync;

import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line read ({@link Application#USAGE}): the settings file, the settings it overrides, and which one-pass
 * mode it asks for. {@code --help}, {@code --version} and a mistake are answered as they are read, and say the exit
 * code ({@link #answered}).
 */
final class CommandLine {

    private Path properties = Path.of("application.properties");
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private boolean demo;
    private boolean reconcile;
    private List<String> applyHeld = List.of();
    private List<String> replay = List.of();
    /** {@code --check}'s streams (empty: every enabled one), null without it. */
    private List<String> check;
    private boolean json;
    /** The exit code once the command line is answered (help, version, a mistake), else null. */
    private Integer answered;

    private CommandLine() {
    }

    static CommandLine read(String... args) {
        CommandLine line = new CommandLine();
        for (int i = 0; i < args.length && line.answered == null; i++) {
            i = line.option(args, i);
        }
        if (line.answered == null) {
            line.checkTogether();
        }
        return line;
    }

    /** Reads the option at {@code i}; the index of the last argument it took (a name list may follow it). */
    private int option(String[] args, int i) {
        String arg = args[i];
        if (arg.equals("--once")) {
            onePass();
        } else if (arg.equals("--reconcile")) {
            reconcile = true;
        } else if (arg.startsWith("--apply-held=")) {
            applyHeld = names(arg.substring("--apply-held=".length()));
            onePass();
        } else if (arg.equals("--replay") || arg.startsWith("--replay=")) {
            boolean next = !arg.contains("=") && i + 1 < args.length;
            replay = names(arg.contains("=") ? arg.substring("--replay=".length()) : next ? args[i + 1] : "");
            if (replay.isEmpty()) {
                answer(RunOnce.NOT_RUN, "--replay names the streams to replay: --replay STREAM,...");
            }
            return next ? i + 1 : i;
        } else if (arg.equals("--check") || arg.startsWith("--check=")) {
            // the names are optional: a following option or setting is not one
            boolean next = !arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("-")
                    && !args[i + 1].contains("=");
            check = names(arg.contains("=") ? arg.substring("--check=".length()) : next ? args[i + 1] : "");
            onePass();
            return next ? i + 1 : i;
        } else if (arg.equals("--json")) {
            json = true;
        } else if (arg.equals("--demo")) {
            demo = true;
        } else {
            otherOption(arg);
        }
        return i;
    }

    /** The options that are not a mode: the settings file, a setting, help and the version. */
    private void otherOption(String arg) {
        if (arg.startsWith("--properties=")) {
            properties = Path.of(arg.substring("--properties=".length()));
        } else if (arg.equals("--help") || arg.equals("-h")) {
            System.out.print(Application.USAGE);
            answered = RunOnce.OK;
        } else if (arg.equals("--version")) {
            System.out.println("lms-sync " + Application.version());
            answered = RunOnce.OK;
        } else if (!arg.startsWith("-") && arg.contains("=")) {
            overrides.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        } else {
            answer(RunOnce.NOT_RUN, "unknown argument '" + arg + "'");
        }
    }

    /** Options that only mean something with another. */
    private void checkTogether() {
        if ((reconcile || !replay.isEmpty()) && !onePassAsked()) {
            answer(RunOnce.NOT_RUN, (reconcile ? "--reconcile" : "--replay") + " runs with --once");
        } else if (json && check == null) {
            answer(RunOnce.NOT_RUN, "--json goes with --check");
        }
    }

    /** One pass, then exit: nobody scrapes /observe, and a busy port must not stop a job. */
    private void onePass() {
        overrides.put("sync.run-once", "true");
        overrides.putIfAbsent("camel.management.enabled", "false");
    }

    /** Whether the process makes one pass (an option, or sync.run-once=true set on the command line). */
    boolean onePassAsked() {
        return "true".equals(overrides.get("sync.run-once"));
    }

    /** A mistake: what it is and the usage on standard error, and the exit code. */
    private void answer(int exit, String mistake) {
        System.err.print(mistake + "\n" + Application.USAGE);
        answered = exit;
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    Integer answered() { return answered; }
    Path properties() { return properties; }
    Map<String, String> overrides() { return overrides; }
    boolean demo() { return demo; }
    boolean reconcile() { return reconcile; }
    List<String> applyHeld() { return applyHeld; }
    List<String> replay() { return replay; }
    List<String> check() { return check; }
    boolean json() { return json; }
}

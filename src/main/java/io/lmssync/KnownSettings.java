package io.lmssync;

import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings lms-sync reads, so that one it does not is an error rather than silently ignored: every key of the
 * application.properties built into the jar (those commented out with a value among them), each source's own
 * ({@link Source#settingKeys}) and each account's. A key under one of lms-sync's prefixes ({@code sync.},
 * {@code thrive.}, a source's) that is none of these stops the start, naming the key, where it was given and the
 * nearest known key; a key lms-sync no longer reads says what replaced it. The environment is only warned about:
 * other software on a host may set variables that happen to share a prefix.
 */
final class KnownSettings {

    private static final Logger LOG = LoggerFactory.getLogger(KnownSettings.class);

    /** The settings file as the build put it into the jar: the list of every setting. */
    static final String DEFAULTS = "io/lmssync/application.properties";
    private static final Pattern KEY = Pattern.compile("^#?\\s*([a-z][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9-]*)+)\\s*=",
            Pattern.MULTILINE);
    /**
     * What an account's settings may say, whatever the account (its budget, its session, its vendor's count, the
     * bounds of its calls).
     */
    private static final List<String> ACCOUNT_KEYS = List.of("requests-per-minute", "rate-period-ms",
            "one-run-at-a-time", "vendor-count-header", "request-deadline", "max-answer-bytes");

    private final Set<String> known;
    private final Set<String> prefixes;
    /** Keys lms-sync read once, and what to do instead (each source's own: {@link Source#retiredSettings}). */
    private final Map<String, String> retired;

    private KnownSettings(Set<String> known, Set<String> prefixes, Map<String, String> retired) {
        this.known = known;
        this.prefixes = prefixes;
        this.retired = retired;
    }

    /**
     * The settings of this build: the bundled application.properties, each source's own (its
     * {@link Source#settingKeys}, and the keys of its own {@code <key>.properties} beside its class when it has one:
     * a source whose block is not in application.properties), the accounts'.
     */
    static KnownSettings load() {
        Set<String> known = new TreeSet<>(fileKeys(KnownSettings.class.getClassLoader().getResourceAsStream(DEFAULTS),
                DEFAULTS));
        Set<String> prefixes = new TreeSet<>(List.of("sync", "thrive"));
        Map<String, String> retired = new TreeMap<>();
        for (Source source : Sources.all()) {
            prefixes.add(source.key());
            retired.putAll(source.retiredSettings());
            known.addAll(source.settingKeys());
            String own = source.key() + ".properties";
            if (source.getClass().getResource(own) != null) {
                known.addAll(fileKeys(source.getClass().getResourceAsStream(own), own));
            }
            ACCOUNT_KEYS.forEach(k -> known.add(source.account() + "." + k));
        }
        ACCOUNT_KEYS.forEach(k -> known.add("thrive." + k));
        return new KnownSettings(Set.copyOf(known), Set.copyOf(prefixes), Map.copyOf(retired));
    }

    /**
     * Where the settings are read, for Camel's properties component: the settings file, then the sources' own
     * {@code <key>.properties} beside their classes, the block of a source packaged outside the bundled settings,
     * whose values are its defaults (the first location holding a key wins; the environment and the command line win
     * over all).
     */
    static String locations(Path propertiesFile) {
        List<String> locations = new ArrayList<>(List.of("file:" + propertiesFile));
        for (Source source : Sources.all()) {
            String own = source.key() + ".properties";
            if (source.getClass().getResource(own) != null) {
                locations.add("classpath:" + source.getClass().getPackageName().replace('.', '/') + "/" + own);
            }
        }
        return String.join(",", locations);
    }

    /** The keys a settings file lists, those commented out with a value among them. */
    static Set<String> fileKeys(InputStream file, String name) {
        Set<String> keys = new TreeSet<>();
        try (InputStream in = file) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the build");
            }
            Matcher key = KEY.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            while (key.find()) {
                keys.add(key.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Fails on the first key of {@code given} under a prefix of lms-sync's that lms-sync does not read. */
    void check(Iterable<String> given, String where) {
        for (String key : given) {
            String problem = problem(key);
            if (problem != null) {
                throw new ConfigurationException(problem + " (" + where + ")");
            }
        }
    }

    /** Warns of environment variables under a prefix of lms-sync's that name no setting it reads. */
    void warnAboutEnvironment(Map<String, String> environment) {
        Map<String, String> byVariable = new LinkedHashMap<>();
        known.forEach(key -> byVariable.put(Settings.environmentVariable(key), key));
        for (String variable : environment.keySet()) {
            boolean ours = prefixes.stream().anyMatch(p -> variable.startsWith(Settings.environmentVariable(p) + "_"));
            if (ours && !byVariable.containsKey(variable)) {
                LOG.warn("the environment variable {} names no setting lms-sync reads (did you mean {}?): it is "
                        + "ignored", variable, Settings.environmentVariable(nearest(
                                variable.toLowerCase(Locale.ROOT).replace('_', '.'))));
            }
        }
    }

    /** Every key lms-sync reads. */
    java.util.Set<String> keys() {
        return known;
    }

    /** Whether a key lies under one of lms-sync's own prefixes (not Camel's). */
    static boolean isOurs(String key) {
        return !key.startsWith("camel.");
    }

    /** Why a key is not one lms-sync reads, or null when it is (or lies outside lms-sync's prefixes). */
    String problem(String key) {
        String trimmed = key.trim();
        if (known.contains(trimmed) || !ours(trimmed)) {
            return null;
        }
        if (retired.containsKey(trimmed)) {
            return trimmed + " is no longer read: " + retired.get(trimmed) + "; remove " + trimmed;
        }
        return "unknown setting " + trimmed + ": lms-sync reads no such key (did you mean " + nearest(trimmed) + "?)";
    }

    private boolean ours(String key) {
        int dot = key.indexOf('.');
        return dot > 0 && prefixes.contains(key.substring(0, dot));
    }

    /** The known key fewest edits away. */
    String nearest(String key) {
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (String candidate : known) {
            int edits = edits(key, candidate);
            if (edits < fewest) {
                fewest = edits;
                best = candidate;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int edits(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

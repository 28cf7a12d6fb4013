package io.lmssync.source;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.sync.SyncWindows;
import java.text.ParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.time.Clock;
import io.lmssync.sync.FollowUps;
import java.util.ServiceLoader;
import org.quartz.CronExpression;

/**
 * The sources lms-sync knows ({@link java.util.ServiceLoader}), those enabled by {@code <key>.enabled}, and their
 * streams. What every source's settings must hold is checked here, the same for all: credentials, base URL (whose
 * host is the records' source_tenant), schedules, windows.
 */
public final class Sources {

    private static final List<Source> ALL = ServiceLoader.load(Source.class).stream().map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparing(Source::key)).toList();

    private final Settings settings;
    private final List<Source> enabled;
    /** The credentials of each enabled source, checked. */
    private final Map<Source, Map<String, String>> credentials = new LinkedHashMap<>();
    /** The declared streams of each enabled source, by key ({@link #declare}). */
    private final Map<String, List<Stream>> streams = new LinkedHashMap<>();

    /** The enabled sources ({@code <key>.enabled}; a source without the setting is off), their settings checked. */
    public Sources(Settings settings) {
        this.settings = settings;
        this.enabled = ALL.stream().filter(s -> settings.optional(s.key() + ".enabled").isPresent()
                && settings.flag(s.key() + ".enabled")).toList();
        for (Source source : enabled) {
            credentials.put(source, validate(source, settings));
        }
    }

    /**
     * Each enabled source declares its streams ({@link Source#streams}); checked here, the same for all: ids unique
     * and under the source's key, own schedules valid crons, parents among the source's streams (each child then
     * follows its parent: {@link FollowUps#follow}).
     */
    public void declare(FollowUps followUps, Map<String, TokenProvider> tokens, Clock clock) {
        Set<String> ids = new HashSet<>();
        for (Source source : enabled) {
            List<Stream> declared = List.copyOf(source.streams(new SourceContext(source, settings,
                    credentials.get(source), followUps, tokens, clock)));
            for (Stream stream : declared) {
                if (!stream.id().startsWith(source.key() + "-") || !ids.add(stream.id())) {
                    throw new IllegalStateException(source.key() + " declares the stream " + stream.id() + " twice, "
                            + "or under another source's key");
                }
                if (stream.cron() != null) {
                    checkCron(stream.cronKey(), stream.cron());
                }
                if (stream.parent() != null) {
                    if (declared.stream().noneMatch(s -> s.id().equals(stream.parent()))) {
                        throw new IllegalStateException(stream.id() + " follows " + stream.parent() + ", which "
                                + source.key() + " does not declare");
                    }
                    followUps.follow(stream.parent(), stream.id(), stream.handOver());
                }
            }
            streams.put(source.key(), declared);
        }
    }

    /** Every source lms-sync knows, enabled or not. */
    public static List<Source> all() {
        return ALL;
    }

    public List<Source> enabled() {
        return enabled;
    }

    /** The ids of an enabled source's streams (none when it is not enabled). */
    public List<String> streams(String source) {
        return declared(source).stream().map(Stream::id).toList();
    }

    /** An enabled source's streams, as declared. */
    public List<Stream> declared(String source) {
        return streams.getOrDefault(source, List.of());
    }

    /** A declared stream, by id. */
    public Stream stream(String id) {
        return streams.values().stream().flatMap(List::stream).filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no enabled stream is called '" + id + "'"));
    }

    /** An enabled source, by key. */
    public Source source(String key) {
        return enabled.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no enabled source is called '" + key + "'"));
    }

    /** The source_tenant of an enabled source's records. */
    public String tenant(Source source) {
        return tenant(source, settings);
    }

    public static Optional<Source> byKey(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * Checks an enabled source's settings and returns its credentials by key. Fails start-up, naming the key, when a
     * credential is missing or the URL, a schedule or a window is wrong.
     */
    public static Map<String, String> validate(Source source, Settings settings) {
        Map<String, String> credentials = new LinkedHashMap<>();
        for (String credential : source.credentialKeys()) {
            String why = source.displayName() + " is enabled (" + source.key() + ".enabled=true) and needs it";
            credentials.put(credential, source.identifierKeys().contains(credential)
                    ? settings.required(credential, why) : settings.secret(credential, why));
        }
        tenant(source, settings);
        if (source.windowed()) {
            SyncWindows.validate(settings, source.key());
        }
        for (String cronKey : cronKeys(source)) {
            checkCron(cronKey, settings.text(cronKey));
        }
        return credentials;
    }

    private static void checkCron(String key, String cron) {
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            throw new ConfigurationException(key + " is not a valid Quartz cron expression ('" + cron + "'): "
                    + e.getMessage() + ". Example: 0 0 2 * * ? (every day at 02:00)");
        }
    }

    /** The source's schedules: a sync, and for a windowed source a reconciliation. */
    private static List<String> cronKeys(Source source) {
        return source.windowed() ? List.of(source.key() + ".cron", source.key() + ".reconcile-cron")
                : List.of(source.key() + ".cron");
    }

    /** The host the source answers from, which is the source_tenant of its records. */
    public static String tenant(Source source, Settings settings) {
        return settings.url(source.key() + ".base-url").getHost();
    }

    /** The credentials that unlock the source's account (tokens, passwords, keys): masked wherever they could show. */
    public static List<String> secretKeys(Source source) {
        return source.credentialKeys().stream().filter(k -> !source.identifierKeys().contains(k)).toList();
    }

    /** The sentence for a 401/403 ({@code how}: "HTTP 401"): which source refused, and the settings to check. */
    public static String credentialsRejected(Source source, String how) {
        return source.displayName() + " rejected the credentials (" + how + "): check "
                + String.join(", ", source.credentialKeys().stream()
                        .map(k -> k + " (" + Settings.environmentVariable(k) + ")").toList());
    }
}

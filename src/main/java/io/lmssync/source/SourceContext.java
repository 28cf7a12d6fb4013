package io.lmssync.source;

import io.lmssync.Settings;
import io.lmssync.sync.FollowUps;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Processor;

/**
 * What an enabled source gets to declare its streams ({@link Source#streams}): its settings and checked credentials,
 * what its HTTP parts share (the clock, the connect timeout, the one token holder of its account), and where parent
 * streams hand child streams their partitions.
 */
public final class SourceContext {

    private final Source source;
    private final Settings settings;
    private final Map<String, String> credentials;
    private final FollowUps followUps;
    private final Map<String, TokenProvider> tokens;
    private final Clock clock;

    /**
     * @param credentials the source's credentials by key, checked ({@link Sources#validate})
     * @param tokens      the renewable token of each account, filled by {@link #token}
     */
    public SourceContext(Source source, Settings settings, Map<String, String> credentials, FollowUps followUps,
            Map<String, TokenProvider> tokens, Clock clock) {
        this.source = source;
        this.settings = settings;
        this.credentials = Map.copyOf(credentials);
        this.followUps = followUps;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Where the source's parent streams hand their child streams partitions to read. */
    public FollowUps followUps() {
        return followUps;
    }

    /**
     * A stream of the source, {@code <key>-<name>}: read in time windows when the source is, scheduled with the
     * source ({@link Stream#whole}, {@link Stream#scheduled} and {@link Stream#follows} say otherwise).
     */
    public Stream stream(String name, RequestPlan requests, Processor mapper) {
        return new Stream(source.key() + "-" + name, source.key(), requests, mapper, source.windowed(), null, null,
                null, null);
    }

    public Settings settings() {
        return settings;
    }

    /** The value of one of the source's {@link Source#credentialKeys()}. */
    public String credential(String key) {
        String value = credentials.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " is not among the credential keys of " + source.key());
        }
        return value;
    }

    /** The source's {@code <key>.base-url}, without a trailing slash. */
    public String baseUrl() {
        return settings.url(source.key() + ".base-url").toString().replaceAll("/+$", "");
    }

    /**
     * Registers the account's renewable token, whose expiry the account's JMX view shows.
     */
    public <T extends TokenProvider> T token(T provider) {
        tokens.put(source.account(), provider);
        return provider;
    }

    public Clock clock() {
        return clock;
    }

    /** How long a token or login call may take to connect (sync.http.connect-timeout-ms). */
    public Duration connectTimeout() {
        return Duration.ofMillis(settings.positiveInt("sync.http.connect-timeout-ms"));
    }

    /** What to say when the source's token or login endpoint refuses the credentials ("HTTP 401 at ..."). */
    public Function<String, String> rejected() {
        return how -> Sources.credentialsRejected(source, how);
    }
}

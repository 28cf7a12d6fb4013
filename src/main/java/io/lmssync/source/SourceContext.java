package io.lmssync.source;

import io.lmssync.Settings;
import io.lmssync.sync.FollowUps;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.spi.Registry;

/**
 * What an enabled source gets to bind its parts ({@link Source#bind}): its settings and checked credentials, the
 * registry its route file's beans go into, and what its HTTP parts share (the clock, the connect timeout, the one
 * token holder of its account).
 */
public final class SourceContext {

    private final Source source;
    private final Settings settings;
    private final Map<String, String> credentials;
    private final Registry registry;
    private final Map<String, TokenProvider> tokens;
    private final Clock clock;

    /**
     * @param credentials the source's credentials by key, checked ({@link Sources#validate})
     * @param tokens      the renewable token of each account, filled by {@link #token}
     */
    public SourceContext(Source source, Settings settings, Map<String, String> credentials, Registry registry,
            Map<String, TokenProvider> tokens, Clock clock) {
        this.source = source;
        this.settings = settings;
        this.credentials = Map.copyOf(credentials);
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Where the source's parent streams hand their child streams partitions to read. */
    public FollowUps followUps() {
        return registry.lookupByNameAndType("followUps", FollowUps.class);
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

    /** A bean the source's route file names. */
    public void bind(String name, Object bean) {
        registry.bind(name, bean);
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

package io.lmssync.source;

import io.lmssync.Settings;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A source lms-sync reads learning records from, described by itself in its own package and route file
 * ({@code routes/<key>.camel.yaml}): the prefix of its settings, the account its calls spend, the credentials they
 * need, its streams, and the parts it binds for its routes (authentication, request plans, mappers, demo answers).
 * Sources are found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.lmssync.source.Source}), so
 * adding one touches no shared class.
 */
public interface Source {

    /**
     * What a source is.
     *
     * @param key            the prefix of its settings, and of its streams' ids: {@code moocit}
     * @param account        the vendor account whose budget, token and slots its calls share (Continu's two APIs
     *                       share one)
     * @param windowed       read incrementally in time windows from a cursor, with a reconciliation that pulls the
     *                       whole history to find deletes; else every run reads a full snapshot
     * @param credentialKeys every setting its calls need
     * @param identifierKeys of those, the ones that name an account rather than unlock it (a user name, a client id):
     *                       never masked
     */
    record Description(String key, String displayName, String account, boolean windowed, List<String> credentialKeys,
            Set<String> identifierKeys) {
    }

    Description description();

    /** The streams the source runs with these settings, each a route consuming {@code direct:<stream>}. */
    List<String> streams(Settings settings);

    /**
     * Checks the source's own settings (its credentials, base URL, schedules and windows are checked before) and
     * binds the beans its route file names.
     */
    void bind(SourceContext context);

    /** The source's sample answers and settings for {@code --demo}. */
    Demo demo();

    default String key() {
        return description().key();
    }

    default String displayName() {
        return description().displayName();
    }

    default String account() {
        return description().account();
    }

    default boolean windowed() {
        return description().windowed();
    }

    /**
     * Whether this stream of the source is read in time windows: by default as the source is; a stream that reads
     * what other streams hand it (Absorb's lesson enrollments of changed course enrollments) reads its partitions
     * whole.
     */
    default boolean windowed(String stream) {
        return windowed();
    }

    /**
     * A stream's own cron, when it is read less often than its source's schedule fires (a daily Continu report
     * group under the hourly source): a scheduled sync runs it only on the firings that reach it.
     */
    default Optional<String> cron(String stream, Settings settings) {
        return Optional.empty();
    }

    /**
     * Settings of the source that its block in application.properties does not list (a key per report group, say):
     * a key under the source's prefix that is neither is an unknown setting, which stops the start.
     */
    default Set<String> settingKeys() {
        return Set.of();
    }

    default List<String> credentialKeys() {
        return description().credentialKeys();
    }

    default Set<String> identifierKeys() {
        return description().identifierKeys();
    }
}

package io.lmssync.source;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A source lms-sync reads learning records from, described by itself in its own package: the prefix of its settings,
 * the account its calls spend, the credentials they need, and its streams, each declared once with its parts
 * ({@link Stream}: request plan, mapper, schedule). Its routes are derived from the declarations and the templates of
 * {@code routes/stream-templates.camel.yaml}. Sources are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.lmssync.source.Source}), so adding one touches no shared file.
 */
public interface Source {

    /**
     * What a source is.
     *
     * @param key            the prefix of its settings, and of its streams' ids: {@code moocit}
     * @param account        the vendor account whose budget, token and slots its calls share (Continu's two APIs
     *                       share one)
     * @param windowed       its streams are read incrementally in time windows from a cursor, with a reconciliation
     *                       that pulls the whole history to find deletes; else every run reads a full snapshot
     * @param credentialKeys every setting its calls need
     * @param identifierKeys of those, the ones that name an account rather than unlock it (a user name, a client id):
     *                       never masked
     */
    record Description(String key, String displayName, String account, boolean windowed, List<String> credentialKeys,
            Set<String> identifierKeys) {
    }

    Description description();

    /**
     * Checks the source's own settings (its credentials, base URL, schedules and windows are checked before) and
     * declares the streams they switch on, with their parts ({@link SourceContext#stream}).
     */
    List<Stream> streams(SourceContext context);

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
     * Settings of the source that its block of settings does not list (a key per report group, say): a key under the
     * source's prefix that is neither is an unknown setting, which stops the start. The block is in
     * application.properties, or, for a source packaged elsewhere, in {@code <key>.properties} beside its class.
     */
    default Set<String> settingKeys() {
        return Set.of();
    }

    /**
     * Keys of the source's that lms-sync read once, each with what to do instead: given, they stop the start saying
     * so, rather than as an unknown setting.
     */
    default Map<String, String> retiredSettings() {
        return Map.of();
    }

    default List<String> credentialKeys() {
        return description().credentialKeys();
    }

    default Set<String> identifierKeys() {
        return description().identifierKeys();
    }
}

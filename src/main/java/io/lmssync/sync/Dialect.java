package io.lmssync.sync;

import io.lmssync.ConfigurationException;

/**
 * The databases the sync state and the jdbc sink run on, told apart by {@code sync.jdbc.url}. Each has its own folder
 * of SQL files ({@code db/migration/<folder>}, {@code sql/<folder>}); the SQL written in Java is standard and
 * differs only in the name of the unbounded text type.
 */
public enum Dialect {
    H2("h2", "jdbc:h2:", "CLOB"),
    POSTGRESQL("postgresql", "jdbc:postgresql:", "TEXT");

    private final String folder;
    private final String urlPrefix;
    private final String textType;

    Dialect(String folder, String urlPrefix, String textType) {
        this.folder = folder;
        this.urlPrefix = urlPrefix;
        this.textType = textType;
    }

    public static Dialect of(String jdbcUrl) {
        for (Dialect dialect : values()) {
            if (jdbcUrl.startsWith(dialect.urlPrefix)) {
                return dialect;
            }
        }
        // the scheme only: a URL may carry a password
        int scheme = jdbcUrl.indexOf(':', jdbcUrl.indexOf(':') + 1);
        throw new ConfigurationException("sync.jdbc.url (SYNC_JDBC_URL) must be an H2 (jdbc:h2:...) or PostgreSQL "
                + "(jdbc:postgresql://host:port/database) URL, not '" + (scheme < 0 ? jdbcUrl : jdbcUrl.substring(0, scheme + 1))
                + "...'");
    }

    /** The folder of this database's migrations and SQL files. */
    public String folder() {
        return folder;
    }

    /** The type to CAST an unbounded text parameter to. */
    public String textType() {
        return textType;
    }
}

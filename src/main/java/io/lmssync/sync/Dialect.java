package io.lmssync.sync;

import io.lmssync.ConfigurationException;

/**
 * The databases the sync state and the jdbc sink run on, told apart by {@code sync.jdbc.url}. Each has its own folder
 * of SQL files ({@code db/migration/<folder>}, {@code sql/<folder>}); the SQL written in Java is standard and
 * differs only in the name of the unbounded text type.
 */
public enum Dialect {
    /** Each commit is written at once ({@link #connectionInitSql}). */
    H2("h2", "jdbc:h2:", "CLOB", "TABLE(id VARCHAR = ?)", java.util.Map.of()),
    /**
     * The driver sends a batch of INSERTs as multi-row statements (reWriteBatchedInserts): the record index's and the
     * raw archive's rows of a chunk go in a few round trips, not one each. A sync.jdbc.url parameter still wins.
     */
    POSTGRESQL("postgresql", "jdbc:postgresql:", "TEXT", "unnest(CAST(? AS VARCHAR[])) AS keys(id)",
            java.util.Map.of("reWriteBatchedInserts", "true"));

    private final String folder;
    private final String urlPrefix;
    private final String textType;
    private final String keys;
    private final java.util.Map<String, String> driverProperties;

    Dialect(String folder, String urlPrefix, String textType, String keys,
            java.util.Map<String, String> driverProperties) {
        this.keys = keys;
        this.driverProperties = driverProperties;
        this.folder = folder;
        this.urlPrefix = urlPrefix;
        this.textType = textType;
    }

    /**
     * A chunk's keys as a table of one column, {@code id}, bound to one array parameter ({@link #bindKeys}): joined
     * to a table on its primary key, whatever the number of keys. (An {@code IN} list of a thousand parameters, in
     * random order, is three times slower on H2.)
     */
    public String keys(String alias) {
        return this == H2 ? keys + " " + alias : keys.replace("AS keys(id)", "AS " + alias + "(id)");
    }

    /** Binds the keys to the parameter of {@link #keys}. */
    public static void bindKeys(java.sql.PreparedStatement statement, int index, java.util.Collection<String> keys)
            throws java.sql.SQLException {
        statement.setArray(index, statement.getConnection().createArrayOf("VARCHAR", keys.toArray()));
    }

    /**
     * What every new connection runs first, if anything: on H2, that each commit is written to its file at once. By
     * default H2 writes a commit up to 500 ms later, in the background, and a process killed meanwhile does not lose
     * a clean suffix of its commits: CrashIT's jdbc-only kills left a database that held a row no transaction had
     * committed (20,001 rows for 20,000 records) or a lock no one held ("Timeout trying to lock table" on every later
     * run). H2 keeps the setting in the database, so it is said on every connection.
     */
    public java.util.Optional<String> connectionInitSql() {
        return this == H2 ? java.util.Optional.of("SET WRITE_DELAY 0") : java.util.Optional.empty();
    }

    /** The driver's properties every connection gets (under what sync.jdbc.url says). */
    public java.util.Map<String, String> driverProperties() {
        return driverProperties;
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

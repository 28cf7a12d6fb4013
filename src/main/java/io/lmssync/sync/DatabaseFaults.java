package io.lmssync.sync;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The errors after which a pooled connection is no use even once the cause is gone, and the last fault the database
 * showed, for readiness. HikariCP evicts a connection only for a connection-level SQLState (08xxx and a few others):
 * after a full disk H2 closes the database file (error 50000 from the file store, then 90098 "database has been
 * closed" on every statement), and its sessions still answer {@code isValid}, so without this the pool hands out dead
 * connections until a restart. Evicted, the next connection opens the file again. A fault that a read cannot see
 * (a disk that takes no writes) is remembered until readiness proves a write ({@code DatabaseHealthCheck}).
 */
public final class DatabaseFaults implements SQLExceptionOverride {

    /** H2's errors that leave its database or the session closed: reopen with a new connection. */
    private static final Set<Integer> H2_CLOSED = Set.of(
            90098, // DATABASE_IS_CLOSED, after the file store failed
            90121, // DATABASE_CALLED_AT_SHUTDOWN
            90007, // OBJECT_CLOSED
            90028, // IO_EXCEPTION_1
            90031); // IO_EXCEPTION_2
    /** H2's general error, a fault of its file store when an MVStoreException caused it (a write that failed). */
    private static final int H2_GENERAL = 50000;
    /** SQLState classes of a database that cannot write: 53 insufficient resources (disk full), 58 system error. */
    private static final Set<String> CANNOT_WRITE = Set.of("53", "58");

    /** A fault: when, and what the driver said (its SQLState and error code; never its text, which may hold a URL). */
    public record Fault(Instant at, String sqlState, int errorCode) {

        /** SQLState and error code, fit for a health message. */
        public String describe() {
            return "SQLState " + sqlState + ", error " + errorCode;
        }
    }

    private final AtomicReference<Fault> pending = new AtomicReference<>();
    private volatile Runnable evictAll = () -> { };

    /**
     * What evicts every connection of the pool: once H2 closed its database, every idle connection is on it, and each
     * would fail one more statement (a run, a health probe, an operator's action) before the pool let it go.
     */
    public void evictAllWith(Runnable evict) {
        this.evictAll = evict;
    }

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (closesTheConnection(x)) {
                remember(x);
                evictAll.run();
                return Override.MUST_EVICT;
            }
            if (x.getSQLState() != null && x.getSQLState().length() >= 2
                    && CANNOT_WRITE.contains(x.getSQLState().substring(0, 2))) {
                remember(x);
            }
        }
        return Override.CONTINUE_EVICT;
    }

    private static boolean closesTheConnection(SQLException e) {
        if (H2_CLOSED.contains(e.getErrorCode())) {
            return true;
        }
        if (e.getErrorCode() != H2_GENERAL) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
                return true;
            }
        }
        return false;
    }

    private void remember(SQLException e) {
        pending.set(new Fault(Instant.now(), String.valueOf(e.getSQLState()), e.getErrorCode()));
    }

    /** The last fault not yet cleared: the database may take no writes. */
    public Optional<Fault> pending() {
        return Optional.ofNullable(pending.get());
    }

    /** The database took a write after the fault: clears it, unless a newer one came meanwhile. */
    public void cleared(Fault fault) {
        pending.compareAndSet(fault, null);
    }
}

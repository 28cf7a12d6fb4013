package io.lmssync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import javax.sql.DataSource;

/** One statement run for many rows in a single JDBC batch and a single transaction. */
public final class JdbcBatch {

    /** Sets one row's parameters on the statement. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    private JdbcBatch() {
    }

    /** {@code ?,?,...} for an {@code IN (...)} list of n parameters: one query for a chunk's keys, not one per key. */
    public static String parameters(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** Work done on one connection in one transaction. */
    @FunctionalInterface
    public interface Work {
        void run(Connection connection) throws SQLException;
    }

    public static <T> void run(DataSource dataSource, String sql, Collection<T> rows, Binder<T> binder)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        inTransaction(dataSource, c -> batch(c, sql, rows, binder));
    }

    /** The statement for every row, as one JDBC batch on the connection (in the caller's transaction). */
    public static <T> void batch(Connection c, String sql, Collection<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The work in one transaction: committed whole, or rolled back whole. */
    public static void inTransaction(DataSource dataSource, Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}

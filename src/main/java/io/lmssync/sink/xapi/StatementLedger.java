package io.lmssync.sink.xapi;

import io.lmssync.sync.ColumnText;
import io.lmssync.sync.JdbcBatch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What the LRS holds of lms-sync ({@code xapi_statement}): each statement it took, with its record and completion
 * state, and the statement that voided it. A record id is kept as {@link ColumnText} holds it, as in every other
 * bookkeeping column: a vendor id of any length or byte stores, and no column's length stops a stream.
 */
final class StatementLedger {

    /** A statement the LRS took: its id, the record's state it states, and whether it was voided since. */
    record Sent(UUID id, String recordId, String state, boolean voided) {
    }

    /** Keys a query asks for at a time. */
    private static final int KEYS_PER_QUERY = 500;

    private final DataSource dataSource;

    StatementLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The records' statements, voided or not, by record id. */
    Map<String, List<Sent>> of(Collection<String> recordIds) throws SQLException {
        Map<String, String> byKey = new HashMap<>();
        recordIds.forEach(id -> byKey.put(ColumnText.of(id, ColumnText.ID), id));
        Map<String, List<Sent>> byRecord = new HashMap<>();
        List<String> keys = List.copyOf(byKey.keySet());
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<String> slice = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            try (var c = dataSource.getConnection();
                    PreparedStatement select = c.prepareStatement("SELECT statement_id, record_id, state, voided_by "
                            + "FROM xapi_statement WHERE record_id IN (" + JdbcBatch.parameters(slice.size()) + ")")) {
                for (int i = 0; i < slice.size(); i++) {
                    select.setString(i + 1, slice.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Sent sent = new Sent(UUID.fromString(rs.getString(1)), byKey.get(rs.getString(2)),
                                rs.getString(3), rs.getString(4) != null);
                        byRecord.computeIfAbsent(sent.recordId(), k -> new ArrayList<>()).add(sent);
                    }
                }
            }
        }
        return byRecord;
    }

    /** The LRS took these statements, and the voiding statements of these (voided id to voiding id): one commit. */
    void took(Collection<Sent> statements, Map<UUID, UUID> voided) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        JdbcBatch.inTransaction(dataSource, c -> {
            JdbcBatch.batch(c, "INSERT INTO xapi_statement (statement_id, record_id, state, sent_at) VALUES (?,?,?,?)",
                    statements, (insert, s) -> {
                        insert.setString(1, s.id().toString());
                        insert.setString(2, ColumnText.of(s.recordId(), ColumnText.ID));
                        insert.setString(3, s.state());
                        insert.setTimestamp(4, now);
                    });
            JdbcBatch.batch(c, "UPDATE xapi_statement SET voided_by = ? WHERE statement_id = ?", voided.entrySet(),
                    (update, e) -> {
                        update.setString(1, e.getValue().toString());
                        update.setString(2, e.getKey().toString());
                    });
        });
    }
}

package io.lmssync.sink.thrive;

import io.lmssync.record.LearningRecord;
import io.lmssync.sync.JdbcBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * When a record's completion happened, by one rule whichever way the completion goes to Thrive (in a chunk, waiting
 * for a mapping, or a refusal tried again): the record's completed_at; for a vendor that gives none (MOOCit), when
 * lms-sync first saw the record completed (its source_updated_at then, else when it was fetched), remembered in
 * {@code push_completion_time}. Thrive and push_done tell completions apart by that time, so it must not move while
 * the record stays completed: a run that sends a chunk again after a crash fetched it at another time, but it is the
 * same completion; so is a record deleted (a tombstone keeps the time) that comes back completed. The time is forgotten
 * when the record is delivered as not completed: completing it again is a new one.
 */
final class CompletionTimes {

    private static final String REMEMBER = """
            MERGE INTO push_completion_time t
            USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(64)))) s(record_id, completed_at)
            ON t.record_id = s.record_id
            WHEN NOT MATCHED THEN INSERT (record_id, completed_at) VALUES (s.record_id, s.completed_at)
            """;

    private final DataSource dataSource;

    CompletionTimes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The completion time of each record, by record_id; records completed for the first time without a completed_at
     * get theirs now, and keep it. Records are completions ({@link Completion#isCompletion}), at most a page of them.
     */
    Map<String, String> of(Collection<LearningRecord> completions) throws SQLException {
        List<LearningRecord> untimed = completions.stream().filter(r -> r.completedAt() == null).toList();
        // a time already remembered stays: the MERGE inserts only what is new
        JdbcBatch.run(dataSource, REMEMBER, untimed, (merge, r) -> {
            merge.setString(1, r.recordId());
            merge.setString(2, r.sourceUpdatedAt() != null ? r.sourceUpdatedAt() : r.fetchedAt());
        });
        return known(completions);
    }

    /** The completion time of each record that has one (its completed_at, or the one remembered); nothing is written. */
    Map<String, String> known(Collection<LearningRecord> completions) throws SQLException {
        Map<String, String> times = new HashMap<>();
        List<String> untimed = completions.stream().filter(r -> r.completedAt() == null)
                .map(LearningRecord::recordId).toList();
        if (!untimed.isEmpty()) {
            try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT record_id, completed_at FROM push_completion_time WHERE record_id IN ("
                            + JdbcBatch.parameters(untimed.size()) + ")")) {
                for (int i = 0; i < untimed.size(); i++) {
                    q.setString(i + 1, untimed.get(i));
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        times.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        completions.stream().filter(r -> r.completedAt() != null).forEach(r -> times.put(r.recordId(), r.completedAt()));
        return times;
    }

    /** These records are no longer completed (another status, still live): a later completion is a new one. */
    void forget(Collection<String> recordIds) throws SQLException {
        JdbcBatch.run(dataSource, "DELETE FROM push_completion_time WHERE record_id = ?", recordIds,
                (delete, id) -> delete.setString(1, id));
    }
}

package io.lmssync.sink.thrive;

import io.lmssync.sync.JdbcBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What became of the completions: {@code push_done} holds every completion Thrive took, by what Thrive counts as one
 * completion (its user, its content, the completion time), with the record that pushed it (never pushed again);
 * {@code push_pending} holds, per record, its completion waiting for a mapping, with the reason.
 */
final class PushLedger {

    /**
     * A record waits with its latest completion: completed again while waiting, the new one replaces the old (which
     * is no longer the record's completion) and counts its tries afresh.
     */
    private static final String PARK = """
            MERGE INTO push_pending t
            USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(1024)),
                           CAST(? AS VARCHAR(1024)), CAST(? AS VARCHAR(1100)), CAST(? AS VARCHAR(1100)),
                           CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(4000))))
                  s(record_id, stream, learner_email, learner_external_id, learner_source_user, content, completed_at,
                    reason)
            ON t.record_id = s.record_id
            WHEN MATCHED THEN UPDATE SET stream = s.stream, learner_email = s.learner_email,
                                         learner_external_id = s.learner_external_id,
                                         learner_source_user = s.learner_source_user, content = s.content,
                                         reason = s.reason, last_tried_at = CURRENT_TIMESTAMP,
                                         attempts = CASE WHEN t.completed_at = s.completed_at
                                                         THEN t.attempts + 1 ELSE 1 END,
                                         first_seen_at = CASE WHEN t.completed_at = s.completed_at
                                                              THEN t.first_seen_at ELSE CURRENT_TIMESTAMP END,
                                         completed_at = s.completed_at
            WHEN NOT MATCHED THEN INSERT (record_id, stream, learner_email, learner_external_id, learner_source_user,
                                          content, completed_at, reason, attempts, first_seen_at, last_tried_at)
                                  VALUES (s.record_id, s.stream, s.learner_email, s.learner_external_id,
                                          s.learner_source_user, s.content, s.completed_at, s.reason, 1,
                                          CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
            """;
    private static final String DONE = """
            MERGE INTO push_done t
            USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)),
                           CAST(? AS VARCHAR(64)), CAST(? AS INT), CAST(? AS VARCHAR(1000))))
                  s(record_id, thrive_user_id, thrive_content_id, completed_at, http_status, answer)
            ON t.thrive_user_id = s.thrive_user_id AND t.thrive_content_id = s.thrive_content_id
               AND t.completed_at = s.completed_at
            WHEN MATCHED THEN UPDATE SET http_status = s.http_status, answer = s.answer, pushed_at = CURRENT_TIMESTAMP
            WHEN NOT MATCHED THEN INSERT (record_id, thrive_user_id, thrive_content_id, completed_at, http_status,
                                          answer, pushed_at)
                                  VALUES (s.record_id, s.thrive_user_id, s.thrive_content_id, s.completed_at,
                                          s.http_status, s.answer, CURRENT_TIMESTAMP)
            """;

    private final DataSource dataSource;

    PushLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keys a query takes at a time: PostgreSQL takes at most 65,535 parameters in a statement. */
    private static final int KEYS_PER_QUERY = 1000;

    /** Which of these completions (at most a page) Thrive took from their records, at the same completion time. */
    Set<Completion.Key> doneByRecord(List<Completion> completions) throws SQLException {
        Set<Completion.Key> done = new HashSet<>();
        List<String> ids = completions.stream().map(Completion::recordId).distinct().toList();
        for (List<String> slice : slices(ids)) {
            try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT record_id, completed_at FROM push_done WHERE record_id IN ("
                            + JdbcBatch.parameters(slice.size()) + ")")) {
                for (int i = 0; i < slice.size(); i++) {
                    q.setString(i + 1, slice.get(i));
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        done.add(new Completion.Key(rs.getString(1), rs.getString(2)));
                    }
                }
            }
        }
        return done;
    }

    /**
     * Which of these completions, in Thrive's ids, Thrive already holds, whichever record pushed them: a record that
     * was deleted and came back, or another record of the same learner, content and completion time.
     */
    Set<ThrivePush.InThrive> doneInThrive(Collection<ThrivePush.InThrive> completions) throws SQLException {
        Set<ThrivePush.InThrive> done = new HashSet<>();
        for (List<ThrivePush.InThrive> slice : slices(List.copyOf(new LinkedHashSet<>(completions)))) {
            String rows = String.join(",", Collections.nCopies(slice.size(), "(?,?,?)"));
            try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT thrive_user_id, thrive_content_id, completed_at FROM push_done "
                            + "WHERE (thrive_user_id, thrive_content_id, completed_at) IN (" + rows + ")")) {
                int p = 1;
                for (ThrivePush.InThrive completion : slice) {
                    q.setString(p++, completion.userId());
                    q.setString(p++, completion.contentId());
                    q.setString(p++, completion.completedAt());
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        done.add(new ThrivePush.InThrive(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        return done;
    }

    private static <T> List<List<T>> slices(List<T> keys) {
        List<List<T>> slices = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            slices.add(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY)));
        }
        return slices;
    }

    /** These completions wait for a mapping, each with the reason. */
    void park(Map<Completion, String> waiting) throws SQLException {
        JdbcBatch.run(dataSource, PARK, waiting.entrySet(), (merge, e) -> {
            Completion c = e.getKey();
            merge.setString(1, c.recordId());
            merge.setString(2, c.stream());
            merge.setString(3, c.email());
            merge.setString(4, c.externalId());
            merge.setString(5, c.sourceUser());
            merge.setString(6, c.content());
            merge.setString(7, c.completedAt());
            merge.setString(8, e.getValue());
        });
    }

    /** Thrive holds the completion: it is done, and its record no longer waits (in one transaction). */
    void pushed(ThrivePush.Push push, int status, String answer) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement merge = c.prepareStatement(DONE);
                    PreparedStatement delete = c.prepareStatement("DELETE FROM push_pending WHERE record_id = ?")) {
                merge.setString(1, push.completion().recordId());
                merge.setString(2, push.userId());
                merge.setString(3, push.contentId());
                merge.setString(4, push.completedAt());
                merge.setInt(5, status);
                merge.setString(6, answer == null ? null : answer.substring(0, Math.min(1000, answer.length())));
                merge.executeUpdate();
                delete.setString(1, push.completion().recordId());
                delete.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** These records wait no longer (their completion was pushed, refused, or is no longer theirs). */
    void dropPending(Collection<String> recordIds) throws SQLException {
        JdbcBatch.run(dataSource, "DELETE FROM push_pending WHERE record_id = ?", recordIds,
                (delete, id) -> delete.setString(1, id));
    }

    /**
     * A page of the stream's waiting completions, in record_id order after the given one: those parked before the
     * run started (what the run parked itself was just tried).
     */
    List<Completion> waiting(String stream, Instant runStarted, String afterRecordId, int pageSize)
            throws SQLException {
        List<Completion> waiting = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT record_id, learner_email, learner_external_id, learner_source_user, content, completed_at "
                        + "FROM push_pending WHERE stream = ? AND last_tried_at < ? AND record_id > ? "
                        + "ORDER BY record_id FETCH FIRST ? ROWS ONLY")) {
            q.setString(1, stream);
            q.setObject(2, runStarted.atOffset(ZoneOffset.UTC));
            q.setString(3, afterRecordId);
            q.setInt(4, pageSize);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    waiting.add(new Completion(rs.getString(1), stream, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return waiting;
    }
}

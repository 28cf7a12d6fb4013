package io.lmssync.sink.thrive;

import io.lmssync.record.LearningRecord;
import io.lmssync.sync.RecordIndex;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a completion that waited (for a mapping, or after Thrive refused it) is still its record's completion, by
 * what the record index holds now: the record as last delivered, not deleted, completed or passed, at the same
 * completion time. The record may have been deleted, reset or completed again since; pushing the old completion then
 * would tell Thrive something the store no longer says.
 */
final class CurrentCompletions {

    /** What became of a waiting completion. */
    enum Verdict {
        /** Still the record's completion: push it. */
        CURRENT,
        /** Deleted, no longer completed, completed again, or never delivered: it no longer waits. */
        STALE,
        /**
         * The index holds no content for the record (indexed before it kept records; it learns it the next time the
         * record is read, at the latest at a reconciliation or snapshot): it keeps waiting, neither pushed unchecked
         * nor dropped.
         */
        UNCONFIRMED
    }

    /** The verdict, and for a current completion the record's completion as it now is (its learner's latest ids). */
    record Judged(Verdict verdict, Completion current) {
    }

    private final RecordIndex index;
    private final CompletionTimes times;

    CurrentCompletions(RecordIndex index, CompletionTimes times) {
        this.index = index;
        this.times = times;
    }

    /** Judges each waiting completion (at most a page of them) against its record in the index. */
    Map<Completion.Key, Judged> judge(String stream, Collection<Completion.Key> waiting) throws SQLException {
        Set<String> ids = waiting.stream().map(Completion.Key::recordId).collect(Collectors.toSet());
        Map<String, LearningRecord> completions = new HashMap<>();
        Set<String> unconfirmed = new HashSet<>();
        for (Map.Entry<String, RecordIndex.Held> e : index.held(ids).entrySet()) {
            RecordIndex.Held held = e.getValue();
            if (held.deleted()) {
                continue;
            }
            if (held.record() == null) {
                unconfirmed.add(e.getKey());
            } else if (Completion.isCompletion(held.record())) {
                completions.put(e.getKey(), held.record());
            }
        }
        Map<String, String> at = times.known(completions.values());
        Map<Completion.Key, Judged> judged = new LinkedHashMap<>();
        for (Completion.Key key : waiting) {
            LearningRecord record = completions.get(key.recordId());
            if (unconfirmed.contains(key.recordId())) {
                judged.put(key, new Judged(Verdict.UNCONFIRMED, null));
            } else if (record != null && key.completedAt().equals(at.get(key.recordId()))) {
                judged.put(key, new Judged(Verdict.CURRENT, Completion.of(stream, record, key.completedAt())));
            } else {
                judged.put(key, new Judged(Verdict.STALE, null));
            }
        }
        return judged;
    }
}

package io.lmssync.sink.thrive;

import io.lmssync.record.LearningRecord;

/**
 * A completion on its way to Thrive, in the customer's terms: who (e-mail, external id, or {@code source:user id} for
 * a vendor that gives no e-mail, such as Absorb), what ({@code source:content id}) and when. Thrive's own ids come
 * from the mapping files when it is pushed. A record completed again (a new completedAt) is a new completion.
 */
public record Completion(String recordId, String stream, String email, String externalId, String sourceUser,
        String content, String completedAt) {

    /** What tells one completion from another: the record, and when it was completed. */
    record Key(String recordId, String completedAt) {
    }

    /** Thrive takes completions: records completed or passed, and not deleted. */
    static boolean isCompletion(LearningRecord record) {
        return !record.isDeleted() && ("completed".equals(record.status()) || "passed".equals(record.status()));
    }

    /** The record's completion at the time {@link CompletionTimes} gives it. */
    static Completion of(String stream, LearningRecord record, String completedAt) {
        String userId = record.learner().sourceUserId();
        return new Completion(record.recordId(), stream, record.learner().email(), record.learner().externalId(),
                userId == null ? null : record.source() + ":" + userId,
                record.source() + ":" + record.content().sourceContentId(), completedAt);
    }

    Key key() {
        return new Key(recordId, completedAt);
    }
}

package io.lmssync.sink.thrive;

import io.lmssync.record.LearningRecord;

/**
 * A completion on its way to Thrive, in the customer's terms: who (e-mail, external id, or {@code source:user id} for
 * a vendor that gives no e-mail, such as Absorb), what ({@code source:content id}) and when. Thrive's own ids come from the mapping files when it is pushed.
 *
 * <p>When: the record's completed_at; a vendor that gives none (MOOCit) falls back to source_updated_at, then to
 * when lms-sync first fetched the record as complete.
 */
public record Completion(String recordId, String stream, String email, String externalId, String sourceUser,
        String content, String completedAt) {

    /** Thrive takes completions: records completed or passed, and not deleted. */
    static boolean isCompletion(LearningRecord record) {
        return !record.isDeleted() && ("completed".equals(record.status()) || "passed".equals(record.status()));
    }

    static Completion of(String stream, LearningRecord record) {
        String when = record.completedAt() != null ? record.completedAt()
                : record.sourceUpdatedAt() != null ? record.sourceUpdatedAt() : record.fetchedAt();
        String userId = record.learner().sourceUserId();
        return new Completion(record.recordId(), stream, record.learner().email(), record.learner().externalId(),
                userId == null ? null : record.source() + ":" + userId,
                record.source() + ":" + record.content().sourceContentId(), when);
    }
}

package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.time.Instant;

/**
 * Which of two versions of a record is newer: the vendor's update time (source_updated_at) where both have one and
 * they differ, otherwise the time lms-sync fetched them. A version never replaces a newer one, in any sink.
 */
public record Version(Instant updatedAt, Instant fetchedAt) {

    public static Version of(LearningRecord record) {
        return new Version(record.sourceUpdatedInstant(), record.fetchedInstant());
    }

    /** True when this version is older than the other; null fields never make a version older. */
    public boolean isOlderThan(Version other) {
        if (other == null) {
            return false;
        }
        if (updatedAt != null && other.updatedAt != null && !updatedAt.equals(other.updatedAt)) {
            return updatedAt.isBefore(other.updatedAt);
        }
        return fetchedAt != null && other.fetchedAt != null && fetchedAt.isBefore(other.fetchedAt);
    }
}

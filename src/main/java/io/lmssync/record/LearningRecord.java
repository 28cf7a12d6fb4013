package io.lmssync.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Objects;

/**
 * The canonical learning record, version 1: what every vendor record becomes before delivery. The JSON Schema
 * {@code schema/learning-record-v1.schema.json} is its contract; build one with {@link #builder}. Its optional parts
 * ({@code parent}, {@code details}) are left out when a record has none, so a record without them reads, and hashes,
 * as it did before they existed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LearningRecord(
        String recordId,
        int schemaVersion,
        String source,
        String sourceTenant,
        String recordType,
        String sourceRecordId,
        Learner learner,
        Content content,
        @JsonInclude(JsonInclude.Include.NON_NULL) Parent parent,
        String status,
        String sourceStatus,
        Double progress,
        Double scorePercent,
        Long timeSpentSeconds,
        String assignedAt,
        String enrolledAt,
        String startedAt,
        String completedAt,
        String dueAt,
        String expiresAt,
        String sourceUpdatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Details details,
        @JsonProperty("is_active") boolean isActive,
        @JsonProperty("is_deleted") boolean isDeleted,
        String contentHash,
        String fetchedAt,
        JsonNode raw) {

    public static final int SCHEMA_VERSION = 1;

    public static Builder builder(String source, String recordType, String sourceRecordId) {
        return new Builder(source, recordType, sourceRecordId);
    }

    /** The upsert key: {@code {source}:{record_type}:{source_record_id}}. */
    public static String recordId(String source, String recordType, String sourceRecordId) {
        return source + ":" + recordType + ":" + sourceRecordId;
    }

    /**
     * A tombstone for a record the sinks hold: its last known content, marked deleted, fetched (found gone) at the
     * given time. The content hash changes with the deletion, so every sink takes it as a change.
     */
    public LearningRecord deleted(Instant fetchedAt) {
        return toBuilder().deleted(true).build(fetchedAt);
    }

    /**
     * A tombstone for a record whose content is not known (indexed before lms-sync kept it): the identity only, and
     * sinks keep the last content they hold.
     */
    public static LearningRecord tombstone(String recordId, String sourceTenant, Instant fetchedAt) {
        String[] parts = recordId.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a record_id: " + recordId);
        }
        return builder(parts[0], parts[1], parts[2]).sourceTenant(sourceTenant).deleted(true).build(fetchedAt);
    }

    /** The same record as fetched at another time (a dead letter replayed keeps the time it was first fetched). */
    public LearningRecord fetchedAt(Instant fetchedAt) {
        return fetchedAt(fetchedAt.toString(), raw);
    }

    /** The same record with another fetch time and vendor object (the content hash covers neither). */
    LearningRecord fetchedAt(String fetched, JsonNode rawObject) {
        return new LearningRecord(recordId, schemaVersion, source, sourceTenant, recordType, sourceRecordId, learner,
                content, parent, status, sourceStatus, progress, scorePercent, timeSpentSeconds, assignedAt,
                enrolledAt, startedAt, completedAt, dueAt, expiresAt, sourceUpdatedAt, details, isActive, isDeleted,
                contentHash, fetched, rawObject);
    }

    /** A builder holding this record's fields. */
    public Builder toBuilder() {
        return builder(source, recordType, sourceRecordId).sourceTenant(sourceTenant).learner(learner).content(content)
                .parent(parent).details(details).status(status).sourceStatus(sourceStatus).progress(progress)
                .scorePercent(scorePercent).timeSpentSeconds(timeSpentSeconds).assignedAt(assignedAt).enrolledAt(enrolledAt).startedAt(startedAt)
                .completedAt(completedAt).dueAt(dueAt).expiresAt(expiresAt).sourceUpdatedAt(sourceUpdatedAt)
                .active(isActive).deleted(isDeleted).raw(raw);
    }

    /** A record as {@link Json#write} wrote it. */
    public static LearningRecord fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, LearningRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a canonical record: " + e.getOriginalMessage(), e);
        }
    }

    /** When the record was fetched. */
    public Instant fetchedInstant() {
        Parsed last = lastFetched;
        if (!last.text().equals(fetchedAt)) {
            last = new Parsed(fetchedAt, Instant.parse(fetchedAt));
            lastFetched = last;
        }
        return last.instant();
    }

    /**
     * The fetch time last parsed: a run's records share one, and parsing it again for the index, the version and the
     * jdbc row showed as 8% of a first sync's profile.
     */
    private static volatile Parsed lastFetched = new Parsed("", Instant.EPOCH);

    private record Parsed(String text, Instant instant) {
    }

    /** The vendor's update time, or null. */
    public Instant sourceUpdatedInstant() {
        return sourceUpdatedAt == null ? null : Instant.parse(sourceUpdatedAt);
    }

    /** Collects a record's fields; {@link #build} derives record_id and content_hash. */
    public static final class Builder {
        private final String source;
        private final String recordType;
        private final String sourceRecordId;
        private String sourceTenant;
        private Learner learner = Learner.UNKNOWN;
        private Content content = Content.UNKNOWN;
        private Parent parent;
        private Details details;
        private String status = "unknown";
        private String sourceStatus;
        private Double progress;
        private Double scorePercent;
        private Long timeSpentSeconds;
        private String assignedAt;
        private String enrolledAt;
        private String startedAt;
        private String completedAt;
        private String dueAt;
        private String expiresAt;
        private String sourceUpdatedAt;
        private boolean active = true;
        private boolean deleted;
        private JsonNode raw;

        private Builder(String source, String recordType, String sourceRecordId) {
            this.source = Objects.requireNonNull(source, "source");
            this.recordType = Objects.requireNonNull(recordType, "recordType");
            this.sourceRecordId = Objects.requireNonNull(sourceRecordId, "sourceRecordId");
        }

        public Builder sourceTenant(String v) { sourceTenant = v; return this; }
        public Builder learner(Learner v) { learner = v == null ? Learner.UNKNOWN : v; return this; }
        public Builder content(Content v) { content = v == null ? Content.UNKNOWN : v; return this; }
        /** The records this one belongs to (a lesson enrollment's course enrollment); none when all are null. */
        public Builder parent(Parent v) { parent = v == null || v.isEmpty() ? null : v; return this; }
        /** What a warehouse keeps beyond the common fields (credits, certificate); none when all are null. */
        public Builder details(Details v) { details = v == null || v.isEmpty() ? null : v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder sourceStatus(String v) { sourceStatus = v; return this; }
        public Builder progress(Double v) { progress = v; return this; }
        public Builder scorePercent(Double v) { scorePercent = v; return this; }
        public Builder timeSpentSeconds(Long v) { timeSpentSeconds = v; return this; }
        public Builder assignedAt(String v) { assignedAt = v; return this; }
        public Builder enrolledAt(String v) { enrolledAt = v; return this; }
        public Builder startedAt(String v) { startedAt = v; return this; }
        public Builder completedAt(String v) { completedAt = v; return this; }
        public Builder dueAt(String v) { dueAt = v; return this; }
        public Builder expiresAt(String v) { expiresAt = v; return this; }
        public Builder sourceUpdatedAt(String v) { sourceUpdatedAt = v; return this; }
        public Builder active(boolean v) { active = v; return this; }
        public Builder deleted(boolean v) { deleted = v; return this; }
        public Builder raw(JsonNode v) { raw = v; return this; }

        /** The record, with content_hash the SHA-256 of its JSON without fetched_at, raw and the hash itself. */
        public LearningRecord build(Instant fetchedAt) {
            String recordId = recordId(source, recordType, sourceRecordId);
            String contentHash = Sha256.hex(Json.write(record(recordId, null, null, null)));
            return record(recordId, contentHash, fetchedAt.toString(), raw);
        }

        private LearningRecord record(String recordId, String contentHash, String fetchedAt, JsonNode rawObject) {
            return new LearningRecord(recordId, SCHEMA_VERSION, source, sourceTenant, recordType, sourceRecordId,
                    learner, content, parent, status, sourceStatus, progress, scorePercent, timeSpentSeconds,
                    assignedAt, enrolledAt, startedAt, completedAt, dueAt, expiresAt, sourceUpdatedAt, details, active,
                    deleted, contentHash, fetchedAt, rawObject);
        }
    }
}

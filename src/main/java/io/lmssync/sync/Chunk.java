package io.lmssync.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.LearningRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of records on its way through delivery: the valid records a mapper made of a chunk of vendor objects,
 * and the objects it could not use. The record index decides which records the sinks still need.
 */
public final class Chunk {

    /**
     * A vendor object that did not become a valid record, and why; with the record's id and the vendor's update time
     * when the object said them, and when it was fetched.
     */
    public record DeadLetter(String recordId, String reason, String raw, java.time.Instant sourceUpdatedAt,
            java.time.Instant fetchedAt) {
    }

    /**
     * A vendor object as the chunk read it, for the raw archive: its id (the record's source id, or a raw-only
     * stream's id fields), the object, the partition it was read under, and when it was fetched.
     */
    public record RawObject(String id, JsonNode raw, String partition, java.time.Instant fetchedAt) {
    }

    /** A file a sink wrote for the chunk under a staging name; it moves to its target once the chunk is committed. */
    public record StagedFile(String staged, String target) {
    }

    private final SyncRun run;
    private final int number;
    private final List<LearningRecord> records = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<StagedFile> staged = new ArrayList<>();
    private final List<RawObject> raws = new ArrayList<>();
    /** Source ids of objects whose record is older than the one the sinks hold: the archive keeps the newer. */
    private final java.util.Set<String> olderRaws = new java.util.HashSet<>();
    private List<RawArchive.Change> rawChanges = List.of();
    /** By source id: the raw hash the record index says the archive holds for this stream's object (live records). */
    private final java.util.Map<String, String> indexedRawHashes = new java.util.HashMap<>();
    /** By source id: the hash the archive holds for the object once the chunk is committed (none: archive off). */
    private final java.util.Map<String, String> archivedRawHashes = new java.util.HashMap<>();
    private RecordIndex.Plan plan;
    /** A catch-up chunk: the one sink it is for ({@link SinkCatchUp}), and whether it is that sink's last. */
    private String catchUpSink;
    private boolean catchUpLast;

    public Chunk(SyncRun run) {
        this.run = run;
        this.number = run.nextChunk();
    }

    public SyncRun run() { return run; }
    public int number() { return number; }
    public List<LearningRecord> records() { return records; }
    public List<DeadLetter> deadLetters() { return deadLetters; }

    /** The new, changed and deleted records: what every sink must commit. Empty before the index planned it. */
    public List<LearningRecord> toDeliver() { return plan == null ? List.of() : plan.toDeliver(); }

    public void add(LearningRecord record) { records.add(record); }

    /** The vendor's objects the chunk read, as received. */
    public List<RawObject> raws() { return raws; }

    public void raw(RawObject raw) { raws.add(raw); }

    void olderRaw(String sourceId) { olderRaws.add(sourceId); }

    boolean isOlderRaw(String sourceId) { return olderRaws.contains(sourceId); }

    /** What the raw archive takes of the chunk: new, changed and deleted objects (empty before it planned). */
    public List<RawArchive.Change> rawChanges() { return rawChanges; }

    void rawChanges(List<RawArchive.Change> changes) { rawChanges = changes; }

    java.util.Map<String, String> indexedRawHashes() { return indexedRawHashes; }

    java.util.Map<String, String> archivedRawHashes() { return archivedRawHashes; }

    /** Files written for the chunk, not visible yet: committed with the record index, then moved into place. */
    public List<StagedFile> staged() { return staged; }

    public void deadLetter(String recordId, String reason, String raw) {
        deadLetter(recordId, reason, raw, null, run.startedAt());
    }

    public void deadLetter(String recordId, String reason, String raw, java.time.Instant sourceUpdatedAt,
            java.time.Instant fetchedAt) {
        deadLetters.add(new DeadLetter(recordId, reason, raw, sourceUpdatedAt, fetchedAt));
    }

    /** The chunk brings a sink that is behind what the store holds up to date (and it alone). */
    void catchUp(String sink, boolean last) {
        catchUpSink = sink;
        catchUpLast = last;
    }

    /** The one sink a catch-up chunk is for; null for a chunk every sink takes. */
    public String catchUpSink() { return catchUpSink; }

    boolean catchUpLast() { return catchUpLast; }

    RecordIndex.Plan plan() { return plan; }

    void plan(RecordIndex.Plan plan) { this.plan = plan; }
}

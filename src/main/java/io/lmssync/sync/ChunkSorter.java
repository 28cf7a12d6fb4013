package io.lmssync.sync;

import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.RecordSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sorts a chunk's records, one after the other, into new, changed, deleted, unchanged and older against what the
 * index knew of them; a record_id that appears twice in the chunk is sorted against what its earlier copy made of it.
 * A new or changed record that breaks the record schema becomes a dead letter instead. What it ends with is the
 * chunk's {@link RecordIndex.Plan}.
 */
final class ChunkSorter {

    private final Chunk chunk;
    private final SyncRun run;
    /** What the index knew of the chunk's records before the chunk, by record_id. */
    private final Map<String, RecordIndex.Known> known;
    private final RecordSchema schema;
    /** Whether the index keeps each record's last content itself (no jdbc sink's table holds it). */
    private final boolean keepsRecords;
    private final Map<String, LearningRecord> toDeliver = new LinkedHashMap<>();
    private final Map<String, RecordIndex.Entry> after = new LinkedHashMap<>();
    private long inserted;
    private long updated;
    private long unchanged;
    private long deleted;
    private long older;

    ChunkSorter(Chunk chunk, Map<String, RecordIndex.Known> known, RecordSchema schema, boolean keepsRecords) {
        this.chunk = chunk;
        this.run = chunk.run();
        this.known = known;
        this.schema = schema;
        this.keepsRecords = keepsRecords;
    }

    /** Sorts each of the chunk's records, in the chunk's order. */
    RecordIndex.Plan plan() {
        for (LearningRecord record : chunk.records()) {
            sort(record);
        }
        return new RecordIndex.Plan(new ArrayList<>(toDeliver.values()), after.values(), inserted, updated,
                unchanged, deleted, older);
    }

    private void sort(LearningRecord record) {
        String id = record.recordId();
        RecordIndex.Known before = after.containsKey(id) ? after.get(id).known() : known.get(id);
        RecordIndex.Known held = known.get(id);
        if (held != null && !held.deleted() && run.stream().equals(held.stream())) {
            // the archive's hash for the object: an object that still hashes the same needs no look-up there
            chunk.indexedRawHashes().put(record.sourceRecordId(), held.rawHash());
        }
        if (before == null && record.isDeleted()) {
            return; // a tombstone for a record no sink holds: nothing to say
        }
        Version version = Version.of(record);
        if (before != null && version.isOlderThan(before.version())) {
            older++;
            chunk.olderRaw(record.sourceRecordId());
            return;
        }
        // a tombstone stays in the partition its record was read under
        String partition = record.isDeleted() && before != null ? before.partition() : run.partitionOf(record);
        if (before != null && before.contentHash().equals(record.contentHash())) {
            unchanged++;
            if (teachesIndex(before, partition, version)) {
                after.put(id, new RecordIndex.Entry(record, partition, false));
            }
            return;
        }
        // what reaches the sinks meets the record's contract; a record unchanged since it did needs no new look
        String problems = schema.problems(record);
        if (!problems.isEmpty()) {
            chunk.deadLetter(id, "breaks the record schema: " + problems, Json.write(record.raw() != null
                    ? record.raw() : record), version.updatedAt(), version.fetchedAt());
            return;
        }
        if (before == null) {
            inserted++;
        } else if (record.isDeleted()) {
            deleted++;
        } else {
            updated++;
        }
        toDeliver.put(id, record);
        boolean isNew = known.get(id) == null && (!after.containsKey(id) || after.get(id).isNew());
        after.put(id, new RecordIndex.Entry(record, partition, isNew));
    }

    /** Whether an unchanged record's row tells the index what it did not keep yet (its content, partition, time). */
    private boolean teachesIndex(RecordIndex.Known before, String partition, Version version) {
        return !before.hasRecord() && keepsRecords || !Objects.equals(before.partition(), partition)
                || before.version().updatedAt() == null && version.updatedAt() != null;
    }
}

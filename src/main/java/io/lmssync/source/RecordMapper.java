package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.SyncRun;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns a chunk of raw vendor objects into a {@link Chunk} of canonical records. Each vendor's mapper says how one
 * object maps ({@link #map}); an object it rejects becomes a dead letter with the reason, and the rest of the chunk
 * goes on. (A record is checked against the schema when it is about to reach the sinks: {@code RecordIndex.plan}.)
 */
public abstract class RecordMapper implements Processor {


    /** One vendor object as a canonical record; no I/O. */
    protected abstract LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException;

    /** The fields of an object it reads: its ids, and those it maps. */
    public abstract Reads reads();

    /**
     * One object as a record, as a sync maps it, for a check: the record, or the reason the object would be a dead
     * letter.
     */
    public LearningRecord mapOne(JsonNode raw, SyncRun run, String partition) throws InvalidRecordException {
        if (raw == null || !raw.isObject()) {
            throw new InvalidRecordException(null, "not a JSON object");
        }
        return map(raw, run, partition);
    }

    /**
     * One vendor object read under a partition (null when not, or when a dead letter is replayed): for a source
     * whose objects do not name what they belong to (an Absorb attempt, its lesson), the partition says it.
     */
    protected LearningRecord map(JsonNode raw, SyncRun run, String partition) throws InvalidRecordException {
        return map(raw, run);
    }

    /**
     * A vendor object fetched earlier than the run (a dead letter replayed): its record keeps that fetch time, so it
     * never replaces a version fetched after it.
     */
    public record Fetched(JsonNode raw, Instant fetchedAt, String partition) {

        /** An object fetched outside any partition (or one a dead letter does not remember). */
        public Fetched(JsonNode raw, Instant fetchedAt) {
            this(raw, fetchedAt, null);
        }
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        List<?> items = exchange.getMessage().getBody(List.class);
        Chunk chunk = new Chunk(run);
        String partition = RequestPlan.partition(exchange);
        Duplicates duplicates = Duplicates.of(exchange);
        long heldBack = 0;
        for (Object item : items) {
            JsonNode raw = item instanceof Fetched f ? f.raw() : (JsonNode) item;
            Instant fetchedAt = item instanceof Fetched f ? f.fetchedAt() : run.startedAt();
            String readUnder = item instanceof Fetched f && f.partition() != null ? f.partition() : partition;
            if (duplicates != null && duplicates.holds(raw) && holdBack(duplicates, raw, run, readUnder)) {
                heldBack++;
                continue;
            }
            if (raw == null || !raw.isObject()) {
                String text = String.valueOf(raw);
                chunk.deadLetter(null, "not a JSON object: " + abbreviate(text), text, null, fetchedAt);
                seen(run, null);
                continue;
            }
            try {
                LearningRecord record = map(raw, run, readUnder);
                if (!fetchedAt.equals(run.startedAt())) {
                    record = record.fetchedAt(fetchedAt);
                }
                chunk.add(record); // validated against the schema when it is about to reach the sinks
                chunk.raw(new Chunk.RawObject(record.sourceRecordId(), raw, readUnder, fetchedAt));
                seen(run, record.recordId());
            } catch (InvalidRecordException e) {
                chunk.deadLetter(e.recordId(), e.getMessage(), Json.write(raw), null, fetchedAt);
                seen(run, e.recordId());
            } catch (RuntimeException e) {
                chunk.deadLetter(null, "the mapper failed: " + e, Json.write(raw), null, fetchedAt);
                seen(run, null);
            }
        }
        run.countFetched(items.size() - heldBack);
        exchange.getMessage().setBody(chunk);
    }

    /**
     * A copy of a record the answer holds more than once is held back, to be delivered once, the newer (else the
     * later) copy winning; false when it does not map (it is a dead letter as it comes).
     */
    private boolean holdBack(Duplicates duplicates, JsonNode raw, SyncRun run, String partition) {
        try {
            LearningRecord record = map(raw, run, partition);
            duplicates.offer(record.recordId(), raw, record);
            return true;
        } catch (InvalidRecordException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A full pull remembers every id it saw, valid or not: an object that came back but did not map still exists at
     * the vendor. One whose id cannot be read makes the whole pull untrustworthy for deletions.
     */
    private static void seen(SyncRun run, String recordId) {
        if (run.seen() == null) {
            return;
        }
        if (recordId == null) {
            run.unidentified();
        } else {
            run.seen().add(recordId);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}

package io.lmssync.sink;

import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Chunk;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * A sink that refuses a chunk because of what a record holds (a string or number the database cannot store, a
 * message over the broker's size limit) must not stall the stream: the chunk is delivered again in halves, down to
 * the refusing records, which become dead letters with the sink's reason; the rest is delivered. A sink that is down
 * (connection refused, broker unavailable, a timeout) is not a refusal: the stream fails with nothing moved.
 */
public final class Refusals {

    /**
     * The chunk to deliver again, in parts, when a sink refused what a record holds (any other failure is thrown
     * again): a refused chunk of one record to deliver becomes that record's dead letter
     * (the chunk goes on without it); a larger one is halved. The chunk's other dead letters go with the first part.
     */
    public List<Chunk> split(Exchange exchange) throws Exception {
        Chunk chunk = exchange.getMessage().getMandatoryBody(Chunk.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<LearningRecord> toDeliver = chunk.toDeliver();
        if (reason(caught) == null || toDeliver.isEmpty()) {
            // not a refusal of what a record holds, or nothing left to blame on a record: the sinks' own failure
            throw caught instanceof Exception e ? e : new IllegalStateException(caught);
        }
        Set<LearningRecord> second = Collections.newSetFromMap(new IdentityHashMap<>());
        Chunk first = new Chunk(chunk.run());
        Chunk rest = new Chunk(chunk.run());
        if (toDeliver.size() == 1) {
            LearningRecord refused = toDeliver.get(0);
            second.add(refused);
            first.deadLetter(refused.recordId(), reason(caught), Json.write(refused.raw() != null ? refused.raw()
                    : refused), refused.sourceUpdatedInstant(), refused.fetchedInstant());
        } else {
            second.addAll(toDeliver.subList(toDeliver.size() / 2, toDeliver.size()));
        }
        for (LearningRecord record : chunk.records()) {
            if (!second.contains(record)) {
                first.add(record);
            } else if (toDeliver.size() > 1) {
                rest.add(record);
            }
        }
        chunk.deadLetters().forEach(letter -> first.deadLetters().add(letter));
        // the vendor's objects go with their records, for the raw archive; a refused record's object is a dead letter
        Set<String> inRest = new HashSet<>();
        rest.records().forEach(r -> inRest.add(r.sourceRecordId()));
        String refused = toDeliver.size() == 1 ? toDeliver.get(0).sourceRecordId() : null;
        for (Chunk.RawObject raw : chunk.raws()) {
            if (!raw.id().equals(refused)) {
                (inRest.contains(raw.id()) ? rest : first).raw(raw);
            }
        }
        return rest.records().isEmpty() ? List.of(first) : List.of(first, rest);
    }

    /** A sink's refusal of what a record holds, with the sink's reason (the xapi sink's invalid statement, a 400). */
    public static final class RefusedRecord extends RuntimeException {
        public RefusedRecord(String reason) {
            super(reason);
        }
    }

    /** The sink's reason when the failure is a refusal of what a record holds; null when it is not. */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RefusedRecord) {
                return t.getMessage();
            }
            if (t instanceof RecordTooLargeException) {
                return "Kafka refused it: " + t.getMessage();
            }
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    // class 22: data exception (a value the column cannot hold); 23: integrity constraint violation
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return "the database refused it (SQLState " + state + "): " + e.getMessage();
                    }
                }
            }
        }
        return null;
    }
}

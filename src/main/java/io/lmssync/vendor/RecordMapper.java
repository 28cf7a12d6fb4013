package io.lmssync.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.record.RecordSchema;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.SyncRun;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns a chunk of raw vendor objects into a {@link Chunk} of valid canonical records. Each vendor's mapper says how
 * one object maps ({@link #map}); an object it rejects, or whose record breaks the schema, becomes a dead letter with
 * the reason, and the rest of the chunk goes on.
 */
public abstract class RecordMapper implements Processor {

    private final RecordSchema schema;

    protected RecordMapper(RecordSchema schema) {
        this.schema = schema;
    }

    /** One vendor object as a canonical record; no I/O. */
    protected abstract LearningRecord map(JsonNode raw, SyncRun run) throws InvalidRecordException;

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        @SuppressWarnings("unchecked")
        List<JsonNode> raws = exchange.getMessage().getBody(List.class);
        Chunk chunk = new Chunk(run);
        for (JsonNode raw : raws) {
            if (raw == null || !raw.isObject()) {
                String text = String.valueOf(raw);
                chunk.deadLetter(null, "not a JSON object: " + abbreviate(text), text);
                continue;
            }
            try {
                LearningRecord record = map(raw, run);
                String problems = schema.problems(record);
                if (problems.isEmpty()) {
                    chunk.add(record);
                } else {
                    chunk.deadLetter(record.recordId(), "breaks the record schema: " + problems, Json.write(raw));
                }
            } catch (InvalidRecordException e) {
                chunk.deadLetter(e.recordId(), e.getMessage(), Json.write(raw));
            } catch (RuntimeException e) {
                chunk.deadLetter(null, "the mapper failed: " + e, Json.write(raw));
            }
        }
        run.countFetched(raws.size());
        exchange.getMessage().setBody(chunk);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}

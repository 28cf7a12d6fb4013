package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import io.lmssync.source.RecordMapper.Fetched;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.SyncRun;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The "mapper" of a stream with no canonical record type (a Continu report group nobody mapped yet): its objects are
 * kept as received, in the raw archive and the sinks' raw mirrors ({@code raw/<stream>/}, {@code sync.kafka.raw-topic}),
 * each keyed by its id fields ({@code a/b} for a composite key). An object without them is a dead letter.
 */
public final class RawMirror implements Processor {

    private final List<String> idFields;

    public RawMirror(List<String> idFields) {
        this.idFields = List.copyOf(idFields);
    }

    /** It reads its id fields, and keeps the rest as it comes. */
    public Reads reads() {
        return new Reads(idFields, List.of());
    }

    /** An object's id: its id fields' values, joined by {@code /}; null when one is missing. */
    public static String id(JsonNode raw, List<String> idFields) {
        StringJoiner id = new StringJoiner("/");
        for (String field : idFields) {
            String value = Json.text(raw, field);
            if (value == null || value.isEmpty()) {
                return null;
            }
            id.add(value);
        }
        return id.toString();
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String partition = RequestPlan.partition(exchange);
        List<?> items = exchange.getMessage().getBody(List.class);
        Chunk chunk = new Chunk(run);
        Duplicates duplicates = Duplicates.of(exchange);
        long kept = 0;
        long heldBack = 0;
        for (Object item : items) {
            JsonNode raw = item instanceof Fetched f ? f.raw() : (JsonNode) item;
            Instant fetchedAt = item instanceof Fetched f ? f.fetchedAt() : run.startedAt();
            String id = raw != null && raw.isObject() ? id(raw, idFields) : null;
            if (id != null && duplicates != null && duplicates.holds(raw)) {
                duplicates.offer(id, raw, null); // no update time: the later copy wins
                heldBack++;
                continue;
            }
            if (id == null) {
                String text = String.valueOf(raw);
                chunk.deadLetter(null, raw != null && raw.isObject() ? "has no " + String.join(", ", idFields)
                        + " (the stream's id fields)" : "not a JSON object", text, null, fetchedAt);
                continue;
            }
            chunk.raw(new Chunk.RawObject(id, raw, partition, fetchedAt));
            kept++;
        }
        run.countFetched(items.size() - heldBack);
        run.countRawOnly(kept);
        exchange.getMessage().setBody(chunk);
    }
}

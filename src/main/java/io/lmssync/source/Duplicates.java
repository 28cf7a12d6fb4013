package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.LearningRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The records an answer holds more than once (a vendor's duplicate ids), delivered once: the newer copy by the
 * vendor's update time, else the later one. The answer's check finds which keys come more than once (a 64-bit hash of
 * each record's key fields, {@link AnswerShape#keyFields}: a collision only delays its records); their records are
 * held back while the answer is delivered, and the winners go last, as one more chunk. On the run's exchange while an
 * answer is read.
 */
public final class Duplicates {

    static final String PROPERTY = "lmsDuplicates";

    private final Set<Long> keys;
    private final List<String> keyFields;
    /** The copy that wins so far, by record id (or by the raw key of a stream without records). */
    private final Map<String, Copy> best = new LinkedHashMap<>();
    private long copies;
    private boolean released;

    /** A record held back, with the raw object it came from. */
    private record Copy(JsonNode raw, Instant updatedAt) {
    }

    private Duplicates(Set<Long> keys, List<String> keyFields) {
        this.keys = keys;
        this.keyFields = keyFields;
    }

    /** The keys of an answer that come more than once, from the hashes of its records' keys in answer order. */
    static Duplicates of(long[] hashes, int count, List<String> keyFields) {
        long[] sorted = Arrays.copyOf(hashes, count);
        Arrays.sort(sorted);
        Set<Long> repeated = new HashSet<>();
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                repeated.add(sorted[i]);
            }
        }
        return repeated.isEmpty() ? null : new Duplicates(repeated, keyFields);
    }

    /** The 64-bit hash of an object's key, from its key fields' text (in order); the same in the check and later. */
    static long hash(List<String> values) {
        long h = 1125899906842597L;
        for (String value : values) {
            String v = value == null ? "\u0000null" : value;
            for (int i = 0; i < v.length(); i++) {
                h = 31 * h + v.charAt(i);
            }
            h = 31 * h + '\u0001';
        }
        return h;
    }

    /** The answer's duplicates on the exchange, if any. */
    public static Duplicates of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Duplicates.class);
    }

    /** Whether the object's key comes more than once in the answer (and the winners are not being delivered yet). */
    public boolean holds(JsonNode raw) {
        if (released || raw == null || !raw.isObject()) {
            return false;
        }
        List<String> values = new ArrayList<>(keyFields.size());
        keyFields.forEach(field -> values.add(raw.hasNonNull(field) ? raw.get(field).asText() : null));
        return keys.contains(hash(values));
    }

    /** A copy held back: kept when it is newer than the one held for its record, or as new and later. */
    public void offer(String id, JsonNode raw, LearningRecord record) {
        Instant updated = record == null || record.sourceUpdatedAt() == null ? null
                : Instant.parse(record.sourceUpdatedAt());
        Copy held = best.get(id);
        if (held != null) {
            copies++;
            if (updated == null || held.updatedAt() == null || !updated.isBefore(held.updatedAt())) {
                best.put(id, new Copy(raw, updated)); // newer, or as new and later
            }
        } else {
            best.put(id, new Copy(raw, updated));
        }
    }

    /** The winners, once, as the answer's last chunk; after this every object maps as it comes. */
    List<JsonNode> release() {
        released = true;
        return best.values().stream().map(Copy::raw).toList();
    }

    /** Copies beyond the first of a record: what the summary counts as duplicates. */
    public long extraCopies() {
        return copies;
    }
}

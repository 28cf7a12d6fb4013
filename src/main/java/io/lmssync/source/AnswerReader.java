package io.lmssync.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an answer's JSON through once, as a stream of tokens ({@link AnswerDownload}'s check before a record is
 * delivered, and a probe's first page): that it is well-formed and of the request's {@link AnswerShape}, how many
 * records it holds, their ids and the keys held more than once when the shape asks, and the envelope's scalars. What
 * is not so fails with a {@link MalformedAnswerException} saying where.
 */
final class AnswerReader {

    private AnswerReader() {
    }

    /** Reads the whole answer once: a top-level array, or an envelope holding one, and nothing after it. */
    static long countRecords(Path file, SyncRun run) throws IOException {
        return check(file, AnswerShape.ARRAY, run).records();
    }

    /** A spooled answer, read whole: of the request's shape, and nothing after it. */
    static Answer check(Path file, AnswerShape shape, SyncRun run) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(file.toFile())) {
            return read(parser, shape, run, null, Integer.MAX_VALUE);
        }
    }

    /** A probe: the envelope and at most {@code limit} records, read from the stream; the rest is left unread. */
    static Answer head(InputStream answer, AnswerShape shape, SyncRun run, int limit) throws IOException {
        InputStream in = shape.objectSequence() ? ObjectSequence.asArray(answer) : answer;
        try (JsonParser parser = Json.MAPPER.createParser(in)) {
            return read(parser, shape, run, new ArrayList<>(), limit);
        }
    }

    /**
     * Reads an answer: its records counted (their ids collected when the shape asks, the records themselves when
     * {@code head} is given, up to {@code limit}), the envelope's scalars kept.
     */
    private static Answer read(JsonParser parser, AnswerShape shape, SyncRun run, List<JsonNode> head, int limit)
            throws IOException {
        try {
            Items items = new Items(shape, head, limit);
            ObjectNode envelope = Json.MAPPER.createObjectNode();
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                items.read(parser, run);
            } else if (first == JsonToken.START_OBJECT && shape.itemsField() != null) {
                boolean found = false;
                while (!items.truncated && parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals(shape.itemsField()) && value == JsonToken.START_ARRAY) {
                        items.read(parser, run);
                        found = true;
                    } else if (value.isScalarValue()) {
                        envelope.set(field, parser.readValueAsTree());
                    } else {
                        parser.skipChildren();
                    }
                }
                if (!found) {
                    throw malformed(run, parser.currentLocation(), "the answer has no \"" + shape.itemsField()
                            + "\" array");
                }
            } else {
                throw malformed(run, parser.currentLocation(), first == null ? "the answer is empty"
                        : "expected a JSON array" + (shape.itemsField() == null ? "" : " or an envelope object")
                                + ", found " + first.asString());
            }
            if (!items.truncated && parser.nextToken() != null) {
                throw malformed(run, parser.currentLocation(), "text follows the end of the answer");
            }
            JsonNode total = shape.totalField() == null ? null : envelope.get(shape.totalField());
            return new Answer(200, items.count, total != null && total.isIntegralNumber() ? total.asLong() : null,
                    items.ids, envelope, Map.of(), null, head == null ? List.of() : List.copyOf(head),
                    items.truncated, items.duplicates());
        } catch (JsonProcessingException e) {
            throw malformed(run, e.getLocation(), e.getOriginalMessage());
        }
    }

    /** The records of an answer's array as they are read. */
    private static final class Items {
        private final AnswerShape shape;
        private final List<JsonNode> head;
        private final int limit;
        private final List<String> ids;
        private long count;
        private boolean truncated;
        /** The hash of each object's key, in answer order (when the shape has key fields). */
        private long[] keys;
        private int keyCount;

        Items(AnswerShape shape, List<JsonNode> head, int limit) {
            this.shape = shape;
            this.head = head;
            this.limit = limit;
            this.ids = shape.idField() == null ? null : new ArrayList<>();
        }

        /** Counts the elements of the array the parser is at, up to the limit. */
        void read(JsonParser parser, SyncRun run) throws IOException {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw malformed(run, parser.currentLocation(), "the answer ends before its array closes");
                }
                if (count == limit) {
                    truncated = true;
                    return;
                }
                if (head != null || ids != null && token == JsonToken.START_OBJECT) {
                    JsonNode item = parser.readValueAsTree();
                    if (ids != null && item.isObject()) {
                        ids.add(String.valueOf(Json.text(item, shape.idField())));
                    }
                    if (head != null) {
                        head.add(item);
                    }
                    key(item);
                } else if (keyed() && token == JsonToken.START_OBJECT) {
                    key(parser);
                } else {
                    parser.skipChildren();
                }
                count++;
            }
        }

        private boolean keyed() {
            return !shape.keyFields().isEmpty();
        }

        /** The key of an object read whole. */
        private void key(JsonNode item) {
            if (keyed() && item.isObject()) {
                List<String> values = new ArrayList<>(shape.keyFields().size());
                shape.keyFields().forEach(f -> values.add(item.hasNonNull(f) ? item.get(f).asText() : null));
                hash(values);
            }
        }

        /** The key of the object the parser is at, its other fields skipped unread. */
        private void key(JsonParser parser) throws IOException {
            String[] values = new String[shape.keyFields().size()];
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int field = shape.keyFields().indexOf(parser.currentName());
                JsonToken value = parser.nextToken();
                if (field >= 0 && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    values[field] = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            hash(java.util.Arrays.asList(values));
        }

        private void hash(List<String> values) {
            if (keys == null) {
                keys = new long[1024];
            } else if (keyCount == keys.length) {
                keys = java.util.Arrays.copyOf(keys, keys.length * 2);
            }
            keys[keyCount++] = Duplicates.hash(values);
        }

        /** The keys that come more than once, or null. */
        Duplicates duplicates() {
            return keys == null ? null : Duplicates.of(keys, keyCount, shape.keyFields());
        }
    }

    private static MalformedAnswerException malformed(SyncRun run, JsonLocation at, String what) {
        String where = at == null ? "" : String.format(Locale.ROOT, " at line %d, column %d (byte %d)",
                at.getLineNr(), at.getColumnNr(), at.getByteOffset());
        return new MalformedAnswerException(
                run.source() + " answer for " + run.stream() + " is not valid JSON" + where + ": " + what, null);
    }
}

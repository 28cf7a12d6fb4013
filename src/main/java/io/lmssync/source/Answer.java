package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import java.util.List;
import java.util.Map;

/**
 * A source's whole answer to one request, as the request's paging and refusal parts see it: its HTTP status, how many
 * records it holds, the envelope's scalar fields ({@code totalItems}, {@code limit}, a next link or cursor; none for a
 * bare array), the records' ids when the shape asked for them, the answer's own headers (the request's and Camel's
 * left out), the source's words when it refused the request, and, for a check's probe, the records themselves (at
 * most a page). On the exchange as {@link #PROPERTY}.
 *
 * @param status  the HTTP status (2xx: an answer; another the gateway let through: a refusal, with no records)
 * @param records the records it holds (a probe's: those it read, at most {@link #head}'s size unless truncated)
 * @param envelope the envelope's scalar fields (an empty object for a bare array or a refusal)
 * @param headers the answer's headers by lower-case name
 * @param refusal what the source said when it refused (abbreviated), else null
 * @param head    a probe's records as read; empty outside a probe
 * @param truncated a probe stopped reading before the answer's end
 * @param duplicates the keys it holds more than once (null: none, or a shape without key fields)
 */
public record Answer(int status, long records, Long totalItems, List<String> ids, ObjectNode envelope,
        Map<String, String> headers, String refusal, List<JsonNode> head, boolean truncated, Duplicates duplicates) {

    public static final String PROPERTY = "lmsAnswer";

    /** An answer of {@code records} records (a bare array, or an envelope saying {@code totalItems}). */
    public Answer(long records, Long totalItems, List<String> ids) {
        this(200, records, totalItems, ids, Json.MAPPER.createObjectNode(), Map.of(), null, List.of(), false, null);
    }

    /** A request the source refused with {@code status}, saying {@code message}. */
    public static Answer refused(int status, String message, Map<String, String> headers) {
        return new Answer(status, 0, null, null, Json.MAPPER.createObjectNode(), headers, message, List.of(), false,
                null);
    }

    /** An envelope or bare array as read, with the given scalar envelope fields. */
    public static Answer of(long records, Long totalItems, List<String> ids, ObjectNode envelope) {
        return new Answer(200, records, totalItems, ids, envelope, Map.of(), null, List.of(), false, null);
    }

    /** Whether the source answered (2xx) rather than refused. */
    public boolean ok() {
        return status / 100 == 2;
    }

    /** A scalar of the envelope as text, or null. */
    public String field(String name) {
        return Json.text(envelope, name);
    }

    /** An answer header, by name without regard to case, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The same answer with its headers. */
    public Answer withHeaders(Map<String, String> answerHeaders) {
        return new Answer(status, records, totalItems, ids, envelope, Map.copyOf(answerHeaders), refusal, head,
                truncated, duplicates);
    }
}

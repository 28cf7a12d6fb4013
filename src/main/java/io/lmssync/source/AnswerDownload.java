package io.lmssync.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.ops.Redaction;
import io.lmssync.record.Json;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a source's answer for the request's plan ({@link Answer}). An answer (2xx) is copied to a work file (constant
 * memory, whatever its size) and read through once to check it is well-formed JSON of the request's shape and count
 * its records, before a single record is delivered: an answer cut short or malformed fails the stream and changes
 * nothing. The file goes when the next answer of the run arrives, or when the exchange completes. A refusal the
 * account's gateway lets through (its {@code ok-status}) keeps only what the source said; the plan decides what it
 * means. A check's probe ({@link #PROBE}) reads the records of the answer's first page into memory instead, and
 * stops reading there.
 */
public final class AnswerDownload implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerDownload.class);

    /** On a check's exchange: read at most this many records into {@link Answer#head}, spool nothing. */
    public static final String PROBE = "lmsProbe";

    /** Answers above this size get an INFO line (reading them takes a while); smaller ones a DEBUG line. */
    private static final long BIG_ANSWER = 10L * 1024 * 1024;
    /** What is kept of a refusal's body: the source's words, not a page of HTML. */
    private static final int REFUSAL_CHARS = 200;

    /** While an answer is spooled, the free space of its disk is checked again after every this many bytes. */
    private static final long FREE_SPACE_EVERY = 8L * 1024 * 1024;

    private final Path workDirectory;
    private final long keepFree;
    private final RequestBounds bounds;
    /** The answer spooled last on the exchange. */
    private static final String SPOOLED = "lmsSpooledAnswer";

    /**
     * @param workDirectory this process's spool, a folder of its own in {@code sync.work-directory}
     * @param keepFree      what spooling leaves free on that disk ({@code sync.work-directory.keep-free-bytes}), for
     *                      the database and files that may share it
     * @param bounds        the call's deadline and its answer's cap, enforced as the answer is read
     */
    public AnswerDownload(Path workDirectory, long keepFree, RequestBounds bounds) {
        this.workDirectory = workDirectory;
        this.keepFree = keepFree;
        this.bounds = bounds;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        SourceRequest request = SourceRequest.of(exchange);
        AnswerShape shape = request == null ? AnswerShape.ARRAY : request.shape();
        Message message = exchange.getMessage();
        Map<String, String> headers = headers(message, request);
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (status / 100 != 2) {
            exchange.setProperty(Answer.PROPERTY, Answer.refused(status, refusal(exchange, message), headers));
            message.setBody(null);
            return;
        }
        Integer probe = exchange.getProperty(PROBE, Integer.class);
        if (probe != null) {
            try (InputStream in = bounds.answer(exchange, body(message, run))) {
                exchange.setProperty(Answer.PROPERTY, head(in, shape, run, probe).withHeaders(headers));
            }
            message.setBody(null);
            return;
        }
        bounds.checkDeclaredSize(exchange);
        Path file = spool(exchange, run, declaredLength(message));
        try (InputStream in = bounds.answer(exchange, body(message, run))) {
            copy(shape.objectSequence() ? ObjectSequence.asArray(in) : in, file, run);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file); // a cut answer's bytes go now, not when the run ends
            throw e;
        }
        Answer answer = check(file, shape, run).withHeaders(headers);
        run.expect(answer.records());
        exchange.setProperty(Answer.PROPERTY, answer);
        // records the answer holds more than once are held back and delivered once, last
        exchange.setProperty(Duplicates.PROPERTY, answer.duplicates());
        long bytes = Files.size(file);
        if (bytes > BIG_ANSWER) {
            LOG.info("{}: answer of {} holds {} records", run.stream(), size(bytes), answer.records());
        } else {
            LOG.debug("{}: answer of {} holds {} records", run.stream(), size(bytes), answer.records());
        }
        message.setBody(file);
    }

    /**
     * A work file for the answer; the run's previous answer is delivered by now (pages are read one after the other),
     * so it goes: one file at a time, whatever the length of a backfill. There must be room for the answer (when it
     * says its length) with {@code keepFree} to spare.
     */
    private Path spool(Exchange exchange, SyncRun run, long declared) throws IOException {
        Path previous = exchange.getProperty(SPOOLED, Path.class);
        if (previous != null) {
            Files.deleteIfExists(previous);
        }
        Files.createDirectories(workDirectory);
        ensureFree(run, Math.max(declared, 0), declared);
        Path file = Files.createTempFile(workDirectory, run.stream() + "-", ".json");
        exchange.setProperty(SPOOLED, file);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("cannot delete the work file {}: {}", file, e.getMessage());
                }
            }
        });
        return file;
    }

    /** Copies the answer to its work file, checking the disk's free space as it grows. */
    private void copy(InputStream in, Path file, SyncRun run) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        long checked = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                written += n;
                if (written - checked >= FREE_SPACE_EVERY) {
                    checked = written;
                    ensureFree(run, 0, -1);
                }
            }
        }
    }

    /**
     * Fails, naming sync.work-directory and what is free there, unless {@code more} bytes fit on the spool's disk with
     * {@code keepFree} to spare: a vendor's answer must not fill the disk the database and the files may be on.
     */
    private void ensureFree(SyncRun run, long more, long declared) throws IOException {
        long free = Files.getFileStore(workDirectory).getUsableSpace();
        if (free - more >= keepFree) {
            return;
        }
        throw new AnswerLimitException("no room to spool " + run.source() + "'s answer for " + run.stream()
                + ": sync.work-directory (" + workDirectory.toAbsolutePath().getParent() + ") has " + size(free)
                + " free" + (declared >= 0 ? ", the answer is " + size(declared) + " (its Content-Length)," : "")
                + " and sync.work-directory.keep-free-bytes keeps " + size(keepFree) + " free for what shares the disk"
                + " (the database, sync.file.directory); nothing of the answer is delivered and the cursor stays. Free"
                + " some space, or give sync.work-directory a disk of its own", null);
    }

    /** The answer's length as its Content-Length says, or -1 (none, or the compressed length). */
    private static long declaredLength(Message message) {
        Long length = message.getHeader("Content-Length", Long.class);
        return length == null || message.getHeader("Content-Encoding") != null ? -1 : length;
    }

    private static InputStream body(Message message, SyncRun run) {
        InputStream in = message.getBody(InputStream.class);
        if (in == null) {
            throw new MalformedAnswerException(run.source() + " sent an empty answer for " + run.stream(), null);
        }
        return in;
    }

    /**
     * The answer's own headers, by lower-case name: what the HTTP call left on the message, less Camel's and less what
     * the request itself carried (its headers and its credentials).
     */
    private static Map<String, String> headers(Message message, SourceRequest request) {
        Set<String> sent = request == null ? Set.of() : request.headerNames();
        Map<String, String> headers = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (value != null && !key.startsWith("camel") && !key.equals("authorization") && !sent.contains(key)) {
                headers.put(key, String.valueOf(value));
            }
        });
        return headers;
    }

    /** What the source said when it refused: its {@code message} field, or the start of its body. */
    private String refusal(Exchange exchange, Message message) {
        String body;
        try (InputStream in = bounds.answer(exchange, message.getBody(InputStream.class))) {
            body = in == null ? "" : new String(in.readNBytes(4 * REFUSAL_CHARS), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        String said = body;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json != null && Json.text(json, "message") != null) {
                said = Json.text(json, "message");
            }
        } catch (IOException e) {
            // not JSON: the text as it came
        }
        // a refusal may quote the learner it was about: its addresses go before it is cut, not half of one after
        said = Redaction.redact(said.replaceAll("\\s+", " ").trim());
        said = said.length() <= REFUSAL_CHARS ? said : said.substring(0, REFUSAL_CHARS) + "...";
        return said.isEmpty() ? "(no message)" : said;
    }

    /** Reads the whole answer once: a top-level array, or an envelope holding one, and nothing after it. */
    static long countRecords(Path file, SyncRun run) throws IOException {
        return check(file, AnswerShape.ARRAY, run).records();
    }

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

    private static String size(long bytes) {
        return RequestBounds.size(bytes);
    }
}

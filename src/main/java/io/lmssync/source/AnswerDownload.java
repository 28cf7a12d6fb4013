package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.ops.Redaction;
import io.lmssync.record.Json;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
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

    private final AnswerSpool spool;
    private final RequestBounds bounds;

    /**
     * @param workDirectory this process's spool, a folder of its own in {@code sync.work-directory}
     * @param keepFree      what spooling leaves free on that disk ({@code sync.work-directory.keep-free-bytes}), for
     *                      the database and files that may share it
     * @param bounds        the call's deadline and its answer's cap, enforced as the answer is read
     */
    public AnswerDownload(Path workDirectory, long keepFree, RequestBounds bounds) {
        this.spool = new AnswerSpool(workDirectory, keepFree);
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
                exchange.setProperty(Answer.PROPERTY, AnswerReader.head(in, shape, run, probe).withHeaders(headers));
            }
            message.setBody(null);
            return;
        }
        message.setBody(spooled(exchange, run, shape, headers));
    }

    /**
     * The answer copied to its work file, checked and counted before a record of it is delivered; its count is what the
     * run expects delivered, and the records it holds more than once are held back to be delivered once, last.
     */
    private Path spooled(Exchange exchange, SyncRun run, AnswerShape shape, Map<String, String> headers)
            throws IOException {
        Message message = exchange.getMessage();
        bounds.checkDeclaredSize(exchange);
        Path file = spool.file(exchange, run, AnswerSpool.declaredLength(message));
        try (InputStream in = bounds.answer(exchange, body(message, run))) {
            spool.copy(shape.objectSequence() ? ObjectSequence.asArray(in) : in, file, run);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file); // a cut answer's bytes go now, not when the run ends
            throw e;
        }
        Answer answer = AnswerReader.check(file, shape, run).withHeaders(headers);
        run.expect(answer.records());
        exchange.setProperty(Answer.PROPERTY, answer);
        exchange.setProperty(Duplicates.PROPERTY, answer.duplicates());
        long bytes = Files.size(file);
        if (bytes > BIG_ANSWER) {
            LOG.info("{}: answer of {} holds {} records", run.stream(), size(bytes), answer.records());
        } else {
            LOG.debug("{}: answer of {} holds {} records", run.stream(), size(bytes), answer.records());
        }
        return file;
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

    private static String size(long bytes) {
        return RequestBounds.size(bytes);
    }
}

package io.lmssync.source;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.lmssync.record.Json;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a vendor's answer to a work file (constant memory, whatever its size) and reads it through once to check it
 * is a well-formed JSON array and count its records, before a single record is delivered: an answer cut short or
 * malformed fails the stream and changes nothing. The file goes when the next answer of the run arrives, or when the
 * exchange completes.
 */
public final class AnswerDownload implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerDownload.class);

    /** Answers above this size get an INFO line (reading them takes a while); smaller ones a DEBUG line. */
    private static final long BIG_ANSWER = 10L * 1024 * 1024;

    private final Path workDirectory;
    /** The answer spooled last on the exchange. */
    private static final String SPOOLED = "lmsSpooledAnswer";

    public AnswerDownload(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    @Override
    public void process(Exchange exchange) throws IOException, HttpOperationFailedException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        // the run's previous answer is delivered by now (pages are read one after the other): one file at a time,
        // whatever the length of a backfill
        Path previous = exchange.getProperty(SPOOLED, Path.class);
        if (previous != null) {
            Files.deleteIfExists(previous);
        }
        Files.createDirectories(workDirectory);
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
        SourceRequest request = SourceRequest.of(exchange);
        AnswerShape shape = request == null ? AnswerShape.ARRAY : request.shape();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status == 404) {
            String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
            if (!shape.noneWhenAbsent()) {
                // a gateway that lets 404 through for some requests: the others fail as the HTTP call would have
                throw new HttpOperationFailedException(uri, 404, "Not Found", null, Map.of(),
                        exchange.getMessage().getBody(String.class));
            }
            LOG.info("{}: {} answered 404, read as no records (what held them is gone)", run.stream(), uri);
            exchange.getMessage().setBody("[]");
        }
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new MalformedAnswerException(run.source() + " sent an empty answer for " + run.stream(), e);
        }
        Answer answer = check(file, shape, run);
        run.expect(answer.records());
        exchange.setProperty(Answer.PROPERTY, answer);
        long bytes = Files.size(file);
        if (bytes > BIG_ANSWER) {
            LOG.info("{}: answer of {} holds {} records", run.stream(), size(bytes), answer.records());
        } else {
            LOG.debug("{}: answer of {} holds {} records", run.stream(), size(bytes), answer.records());
        }
        exchange.getMessage().setBody(file);
    }

    /** Reads the whole answer once: a top-level array, or an envelope holding one, and nothing after it. */
    static long countRecords(Path file, SyncRun run) throws IOException {
        return check(file, AnswerShape.ARRAY, run).records();
    }

    static Answer check(Path file, AnswerShape shape, SyncRun run) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            Long total = null;
            long count = -1;
            List<String> ids = shape.idField() == null ? null : new ArrayList<>();
            if (first == JsonToken.START_ARRAY) {
                count = countItems(parser, shape, ids, run);
            } else if (first == JsonToken.START_OBJECT && shape.itemsField() != null) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals(shape.itemsField()) && value == JsonToken.START_ARRAY) {
                        count = countItems(parser, shape, ids, run);
                    } else if (field.equals(shape.totalField()) && value.isNumeric()) {
                        total = parser.getLongValue();
                    } else {
                        parser.skipChildren();
                    }
                }
                if (count < 0) {
                    throw malformed(run, parser.currentLocation(), "the answer has no \"" + shape.itemsField()
                            + "\" array");
                }
            } else {
                throw malformed(run, parser.currentLocation(), first == null ? "the answer is empty"
                        : "expected a JSON array" + (shape.itemsField() == null ? "" : " or an envelope object")
                                + ", found " + first.asString());
            }
            if (parser.nextToken() != null) {
                throw malformed(run, parser.currentLocation(), "text follows the end of the answer");
            }
            return new Answer(count, total, ids);
        } catch (JsonProcessingException e) {
            throw malformed(run, e.getLocation(), e.getOriginalMessage());
        }
    }

    /** Counts the elements of the array the parser is at, collecting their ids when asked. */
    private static long countItems(JsonParser parser, AnswerShape shape, List<String> ids, SyncRun run)
            throws IOException {
        long count = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw malformed(run, parser.currentLocation(), "the answer ends before its array closes");
            }
            if (ids != null && token == JsonToken.START_OBJECT) {
                ids.add(String.valueOf(Json.text(parser.readValueAsTree(), shape.idField())));
            } else {
                parser.skipChildren();
            }
            count++;
        }
        return count;
    }

    private static MalformedAnswerException malformed(SyncRun run, JsonLocation at, String what) {
        String where = at == null ? "" : String.format(Locale.ROOT, " at line %d, column %d (byte %d)",
                at.getLineNr(), at.getColumnNr(), at.getByteOffset());
        return new MalformedAnswerException(
                run.source() + " answer for " + run.stream() + " is not valid JSON" + where + ": " + what, null);
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}

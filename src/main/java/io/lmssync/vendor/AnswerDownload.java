package io.lmssync.vendor;

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
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a vendor's answer to a work file (constant memory, whatever its size) and reads it through once to check it
 * is a well-formed JSON array and count its records, before a single record is delivered: an answer cut short or
 * malformed fails the stream and changes nothing. The file goes when the exchange completes.
 */
public final class AnswerDownload implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerDownload.class);

    private final Path workDirectory;

    public AnswerDownload(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Files.createDirectories(workDirectory);
        Path file = Files.createTempFile(workDirectory, run.stream() + "-", ".json");
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
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new MalformedAnswerException(run.vendor() + " sent an empty answer for " + run.stream(), e);
        }
        long records = countRecords(file, run);
        run.expect(records);
        LOG.info("{}: answer of {} holds {} records", run.stream(), size(Files.size(file)), records);
        exchange.getMessage().setBody(file);
    }

    /** Reads the whole answer once: a top-level array whose elements are counted, nothing after it. */
    static long countRecords(Path file, SyncRun run) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw malformed(run, parser.currentLocation(),
                        first == null ? "the answer is empty" : "expected a JSON array, found " + first.asString());
            }
            long count = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw malformed(run, parser.currentLocation(), "the answer ends before its array closes");
                }
                parser.skipChildren();
                count++;
            }
            if (parser.nextToken() != null) {
                throw malformed(run, parser.currentLocation(), "text follows the closing ]");
            }
            return count;
        } catch (JsonProcessingException e) {
            throw malformed(run, e.getLocation(), e.getOriginalMessage());
        }
    }

    private static MalformedAnswerException malformed(SyncRun run, JsonLocation at, String what) {
        String where = at == null ? "" : String.format(Locale.ROOT, " at line %d, column %d (byte %d)",
                at.getLineNr(), at.getColumnNr(), at.getByteOffset());
        return new MalformedAnswerException(
                run.vendor() + " answer for " + run.stream() + " is not valid JSON" + where + ": " + what, null);
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}

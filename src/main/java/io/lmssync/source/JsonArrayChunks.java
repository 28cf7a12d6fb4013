package io.lmssync.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;

/**
 * Splits a downloaded JSON array into chunks of raw records with Jackson's streaming parser: one chunk in memory at a
 * time, never the whole answer. Use as a streaming splitter's expression; the splitter closes it.
 */
public final class JsonArrayChunks {

    private final int chunkSize;

    public JsonArrayChunks(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    /**
     * The records of an answer AnswerDownload checked, at the place the request's {@link AnswerShape} says; then, when
     * it holds records more than once, the copies that win ({@link Duplicates}), as its last chunk.
     */
    public Iterator<List<JsonNode>> split(Path answer, Exchange exchange) throws IOException {
        SourceRequest request = SourceRequest.of(exchange);
        Iterator<List<JsonNode>> chunks = split(answer, request == null ? AnswerShape.ARRAY : request.shape());
        Duplicates duplicates = Duplicates.of(exchange);
        return duplicates == null ? chunks : new WinnersLast(chunks, duplicates, exchange.getProperty(
                io.lmssync.sync.SyncRun.PROPERTY, io.lmssync.sync.SyncRun.class));
    }

    /**
     * The answer's chunks, then the winning copies of what it held more than once. The winners are taken when their
     * chunk is asked for, not when the end is first seen: a splitter looks ahead one element, before the answer's last
     * chunk (which may hold copies) has been mapped.
     */
    private static final class WinnersLast implements Iterator<List<JsonNode>>, Closeable {
        private final Iterator<List<JsonNode>> chunks;
        private final Duplicates duplicates;
        private final io.lmssync.sync.SyncRun run;
        private boolean released;

        WinnersLast(Iterator<List<JsonNode>> chunks, Duplicates duplicates, io.lmssync.sync.SyncRun run) {
            this.chunks = chunks;
            this.duplicates = duplicates;
            this.run = run;
        }

        @Override
        public boolean hasNext() {
            return chunks.hasNext() || !released;
        }

        @Override
        public List<JsonNode> next() {
            if (chunks.hasNext()) {
                return chunks.next();
            }
            if (released) {
                throw new NoSuchElementException();
            }
            released = true;
            List<JsonNode> winners = duplicates.release(); // every copy has been offered by now
            // the copies that lost were fetched too: counted as such, and as duplicates
            run.countFetched(duplicates.extraCopies());
            run.countDuplicates(duplicates.extraCopies());
            return winners;
        }

        @Override
        public void close() throws IOException {
            if (chunks instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }

    Iterator<List<JsonNode>> split(Path answer, AnswerShape shape) throws IOException {
        JsonParser parser = Json.MAPPER.createParser(answer.toFile());
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_OBJECT && shape.itemsField() != null) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && field.equals(shape.itemsField())) {
                    return new Chunks(parser, chunkSize);
                }
                parser.skipChildren();
            }
        } else if (first == JsonToken.START_ARRAY) {
            return new Chunks(parser, chunkSize);
        }
        parser.close();
        throw new IllegalStateException(answer + " holds no records array; AnswerDownload should have said so");
    }

    private static final class Chunks implements Iterator<List<JsonNode>>, Closeable {
        private final JsonParser parser;
        private final int chunkSize;
        private List<JsonNode> next;

        Chunks(JsonParser parser, int chunkSize) {
            this.parser = parser;
            this.chunkSize = chunkSize;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = read();
            }
            return !next.isEmpty();
        }

        @Override
        public List<JsonNode> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<JsonNode> chunk = next;
            next = null;
            return chunk;
        }

        private List<JsonNode> read() {
            List<JsonNode> chunk = new ArrayList<>(chunkSize);
            try {
                while (chunk.size() < chunkSize && !parser.isClosed()) {
                    JsonToken token = parser.nextToken();
                    if (token == JsonToken.END_ARRAY || token == null) {
                        parser.close();
                    } else {
                        chunk.add(parser.readValueAsTree());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return chunk;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}

package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.sync.SyncRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking a spooled answer whole, and reading it back in chunks. */
class AnswerDownloadTest {

    private static final SyncRun RUN = new SyncRun(1, "moocit", "moocit-course-completions", "h", Instant.EPOCH);

    @TempDir
    Path dir;

    private Path answer(String json) throws Exception {
        return Files.writeString(dir.resolve("answer.json"), json);
    }

    @Test
    void countsTheRecordsOfAWellFormedArray() throws Exception {
        assertThat(AnswerDownload.countRecords(answer("[{\"a\":[1,{\"b\":2}]}, {}, 3]"), RUN)).isEqualTo(3);
        assertThat(AnswerDownload.countRecords(answer(" [ ] "), RUN)).isZero();
    }

    @Test
    void saysWhereAMalformedAnswerBreaks() throws Exception {
        Path broken = answer("[{\"username\":\"a\"},\n {\"username\": \"b\" \"course_id\": 1}]");
        assertThatThrownBy(() -> AnswerDownload.countRecords(broken, RUN))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("moocit answer for moocit-course-completions is not valid JSON at line 2, column");
    }

    @Test
    void rejectsAnAnswerCutShortAnObjectOrTrailingText() throws Exception {
        Path cut = answer("[{\"username\":\"a\"}, {\"user");
        assertThatThrownBy(() -> AnswerDownload.countRecords(cut, RUN)).isInstanceOf(MalformedAnswerException.class);
        Path object = answer("{\"results\": []}");
        assertThatThrownBy(() -> AnswerDownload.countRecords(object, RUN))
                .hasMessageContaining("expected a JSON array");
        Path trailing = answer("[] []");
        assertThatThrownBy(() -> AnswerDownload.countRecords(trailing, RUN)).hasMessageContaining("follows");
        Path empty = answer("");
        assertThatThrownBy(() -> AnswerDownload.countRecords(empty, RUN)).hasMessageContaining("empty");
    }

    @Test
    void a404IsNoRecordsOnlyWhereThePlanSaysSoAndAFailureEverywhereElse() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            for (AnswerShape shape : java.util.List.of(AnswerShape.ARRAY_OR_NONE_WHEN_ABSENT, AnswerShape.ARRAY)) {
                org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
                exchange.setProperty(SyncRun.PROPERTY, RUN);
                new SourceRequest("absorb", "GET", java.net.URI.create("http://h/users/u/enrollments/c/lessons"), null,
                        java.util.Map.of(), e -> { }, shape).on(exchange);
                exchange.getMessage().setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, 404);
                exchange.getMessage().setBody(new java.io.ByteArrayInputStream(
                        "{\"message\":\"no such enrollment\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                AnswerDownload download = new AnswerDownload(dir.resolve("work"));
                if (shape.noneWhenAbsent()) {
                    download.process(exchange);
                    assertThat(exchange.getProperty(Answer.PROPERTY, Answer.class).records()).isZero();
                } else {
                    assertThatThrownBy(() -> download.process(exchange))
                            .isInstanceOf(org.apache.camel.http.base.HttpOperationFailedException.class)
                            .hasMessageContaining("404");
                }
            }
        }
    }

    @Test
    void splitsAnArrayIntoChunksOfTheConfiguredSize() throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 10; i++) {
            json.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
        }
        Iterator<List<JsonNode>> chunks = new JsonArrayChunks(3).split(answer(json.append(']').toString()),
                AnswerShape.ARRAY);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        chunks.forEachRemaining(chunk -> {
            sizes.add(chunk.size());
            chunk.forEach(node -> values.add(node.get("n").asInt()));
        });
        assertThat(sizes).containsExactly(3, 3, 3, 1);
        assertThat(values).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void anEnvelopeGivesItsItemsTotalAndIdsAndABareArrayIsAcceptedInItsPlace() throws Exception {
        AnswerShape shape = AnswerShape.envelope("enrollments", "totalItems", "id");
        Path envelope = answer("{\"totalItems\": 5, \"returnedItems\": 2, \"limit\": 2, \"offset\": 1, "
                + "\"enrollments\": [{\"id\": \"e3\", \"x\": {\"id\": \"no\"}}, {\"id\": \"e4\"}], \"more\": {}}");
        assertThat(AnswerDownload.check(envelope, shape, RUN)).isEqualTo(new Answer(2, 5L, List.of("e3", "e4")));
        List<String> ids = new ArrayList<>();
        new JsonArrayChunks(10).split(envelope, shape).forEachRemaining(c -> c.forEach(n -> ids.add(n.get("id").asText())));
        assertThat(ids).containsExactly("e3", "e4");

        Path bare = answer("[{\"id\": \"e1\"}]");
        assertThat(AnswerDownload.check(bare, shape, RUN)).isEqualTo(new Answer(1, null, List.of("e1")));
        Path missing = answer("{\"totalItems\": 0, \"courses\": []}");
        assertThatThrownBy(() -> AnswerDownload.check(missing, shape, RUN)).hasMessageContaining("no \"enrollments\"");
    }

    @Test
    void anEmptyArrayGivesNoChunk() throws Exception {
        assertThat(new JsonArrayChunks(3).split(answer("[]"), AnswerShape.ARRAY).hasNext()).isFalse();
    }
}

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
    void aRefusalTheGatewayLetsThroughIsAnAnswerWithItsStatusAndTheSourcesWordsWithoutAnAddress() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
            exchange.setProperty(SyncRun.PROPERTY, RUN);
            new SourceRequest("absorb", "GET", java.net.URI.create("http://h/users/u/enrollments/c/lessons"), null,
                    java.util.Map.of("x-api-key", "k"), e -> { }, AnswerShape.ARRAY).on(exchange);
            exchange.getMessage().setHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader("x-api-key", "k");
            exchange.getMessage().setHeader("X-Request-Id", "r-1");
            exchange.getMessage().setBody(new java.io.ByteArrayInputStream(
                    "{\"message\":\"no enrollment for jürgen@müller.de\"}".getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
            new AnswerDownload(dir.resolve("work")).process(exchange);
            Answer answer = exchange.getProperty(Answer.PROPERTY, Answer.class);
            assertThat(answer.ok()).isFalse();
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.records()).isZero();
            assertThat(answer.refusal()).isEqualTo("no enrollment for <e-mail>");
            assertThat(answer.headers()).as("the answer's own headers, not what the request sent")
                    .containsEntry("x-request-id", "r-1").doesNotContainKey("x-api-key");
        }
    }

    @Test
    void objectsSeparatedByCommasOrNewlinesWithoutBracketsAreReadAsTheArrayTheyStandFor() throws Exception {
        for (String bare : List.of("{\"username\":\"a,]\"}, \n{\"username\":\"b\"}\n",
                "{\"username\":\"a,]\"}\n{\"username\":\"b\"}", " {\"username\":\"a,]\"},{\"username\":\"b\"},")) {
            java.io.InputStream in = ObjectSequence.asArray(new java.io.ByteArrayInputStream(
                    bare.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Path file = Files.write(dir.resolve("seq.json"), in.readAllBytes());
            assertThat(AnswerDownload.check(file, AnswerShape.ARRAY_OR_OBJECTS, RUN).records()).as(bare).isEqualTo(2);
            List<String> names = new ArrayList<>();
            new JsonArrayChunks(10).split(file, AnswerShape.ARRAY).forEachRemaining(
                    c -> c.forEach(n -> names.add(n.get("username").asText())));
            assertThat(names).containsExactly("a,]", "b");
        }
        byte[] array = "[{\"a\":1}]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ObjectSequence.asArray(new java.io.ByteArrayInputStream(array)).readAllBytes())
                .as("an array passes untouched").isEqualTo(array);
        Path sample = Files.write(dir.resolve("page.json"), ObjectSequence.asArray(new java.io.ByteArrayInputStream(
                "{\"username\":\"johndoe\"}, \n{\"username\":\"JaneDoe\"}\n...".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))).readAllBytes());
        assertThatThrownBy(() -> AnswerDownload.check(sample, AnswerShape.ARRAY_OR_OBJECTS, RUN))
                .as("the page's own sample ends in '...': not JSON, and said so")
                .isInstanceOf(MalformedAnswerException.class);
    }

    @Test
    void aProbeReadsTheEnvelopeAndAtMostAPageOfRecordsAndLeavesTheRestUnread() throws Exception {
        StringBuilder json = new StringBuilder("{\"totalItems\": 5000, \"limit\": 100, \"enrollments\": [");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\"}");
        }
        Answer head = AnswerDownload.head(new java.io.ByteArrayInputStream(json.append("]}").toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), AnswerShape.envelope("enrollments",
                        "totalItems", "id"), RUN, 10);
        assertThat(head.records()).isEqualTo(10);
        assertThat(head.truncated()).isTrue();
        assertThat(head.totalItems()).isEqualTo(5000L);
        assertThat(head.field("limit")).isEqualTo("100");
        assertThat(head.head()).hasSize(10);
        assertThat(head.ids()).startsWith("e0", "e1");
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
        Answer read = AnswerDownload.check(envelope, shape, RUN);
        assertThat(List.of(read.records(), read.totalItems(), read.ids())).isEqualTo(List.of(2L, 5L, List.of("e3", "e4")));
        assertThat(read.field("returnedItems")).as("the envelope's scalars, for the paging").isEqualTo("2");
        List<String> ids = new ArrayList<>();
        new JsonArrayChunks(10).split(envelope, shape).forEachRemaining(c -> c.forEach(n -> ids.add(n.get("id").asText())));
        assertThat(ids).containsExactly("e3", "e4");

        Path bare = answer("[{\"id\": \"e1\"}]");
        Answer array = AnswerDownload.check(bare, shape, RUN);
        assertThat(java.util.Arrays.asList(array.records(), array.totalItems(), array.ids()))
                .isEqualTo(java.util.Arrays.asList(1L, null, List.of("e1")));
        Path missing = answer("{\"totalItems\": 0, \"courses\": []}");
        assertThatThrownBy(() -> AnswerDownload.check(missing, shape, RUN)).hasMessageContaining("no \"enrollments\"");
    }

    @Test
    void anEmptyArrayGivesNoChunk() throws Exception {
        assertThat(new JsonArrayChunks(3).split(answer("[]"), AnswerShape.ARRAY).hasNext()).isFalse();
    }
}

package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.sync.SyncRun;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking a spooled answer whole, and reading it back in chunks. */
class AnswerDownloadTest {

    private static final SyncRun RUN = new SyncRun(1, "moocit", "moocit-course-completions", "h", Instant.EPOCH);

    @TempDir
    Path dir;

    /** Bounds of five minutes and at most {@code maxBytes} an answer, for every account. */
    private static RequestBounds bounds(long maxBytes) {
        return new RequestBounds(new RequestBounds.Limits(Duration.ofMinutes(5), "sync.http.request-deadline",
                maxBytes, "sync.http.max-answer-bytes"), Map.of());
    }

    /** An exchange of the MOOCit stream whose call started, answered 200 with the body (and the headers given). */
    private static Exchange answered(CamelContext context, RequestBounds bounds, String body,
            Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(SyncRun.PROPERTY, RUN);
        new SourceRequest("moocit", "GET", URI.create("http://h/api/so2/v1/completion?username=ana@example.com"),
                null, Map.of(), e -> { }, AnswerShape.ARRAY).on(exchange);
        bounds.start(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        headers.forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return exchange;
    }

    @Test
    void anAnswerOverItsCapFailsNamingTheSettingWhetherItSaysItsLengthOrIsReadToIt() throws Exception {
        String body = "[" + "{\"username\":\"ana\"},".repeat(100) + "{}]";
        try (DefaultCamelContext context = new DefaultCamelContext(); RequestBounds bounds = bounds(1000)) {
            AnswerDownload download = new AnswerDownload(dir.resolve("work"), 0, bounds);
            assertThatThrownBy(() -> download.process(answered(context, bounds, body, Map.of())))
                    .isInstanceOf(AnswerLimitException.class)
                    .hasMessage("moocit's answer to GET /api/so2/v1/completion (moocit-course-completions) is larger"
                            + " than sync.http.max-answer-bytes (1000 bytes): cut off there; nothing of it is "
                            + "delivered and the cursor stays. An answer that is sound needs a larger "
                            + "moocit.max-answer-bytes (or sync.http.max-answer-bytes for every account), and room for "
                            + "it in sync.work-directory");
            assertThatThrownBy(() -> download.process(answered(context, bounds, body,
                    Map.of("Content-Length", String.valueOf(body.length())))))
                    .isInstanceOf(AnswerLimitException.class)
                    .hasMessageContaining("says it is 1.9 KB (Content-Length), more than sync.http.max-answer-bytes");
            try (var spooled = Files.list(dir.resolve("work"))) {
                assertThat(spooled).as("a cut answer's bytes are not kept").isEmpty();
            }

            Exchange fits = answered(context, bounds, "[{\"username\":\"ana\"}]", Map.of());
            download.process(fits);
            assertThat(fits.getProperty(Answer.PROPERTY, Answer.class).records()).isEqualTo(1);
        }
    }

    @Test
    void anAnswerTheDiskHasNoRoomForFailsNamingTheWorkDirectoryAndWhatIsFree() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext(); RequestBounds bounds = bounds(Long.MAX_VALUE)) {
            AnswerDownload download = new AnswerDownload(dir.resolve("work").resolve("spool-1"), Long.MAX_VALUE / 2,
                    bounds);
            assertThatThrownBy(() -> download.process(answered(context, bounds, "[]", Map.of())))
                    .isInstanceOf(AnswerLimitException.class)
                    .hasMessageStartingWith("no room to spool moocit's answer for moocit-course-completions: "
                            + "sync.work-directory (" + dir.resolve("work").toAbsolutePath() + ") has ")
                    .hasMessageContaining(" free and sync.work-directory.keep-free-bytes keeps ");
        }
    }

    private Path answer(String json) throws Exception {
        return Files.writeString(dir.resolve("answer.json"), json);
    }

    @Test
    void countsTheRecordsOfAWellFormedArray() throws Exception {
        assertThat(AnswerReader.countRecords(answer("[{\"a\":[1,{\"b\":2}]}, {}, 3]"), RUN)).isEqualTo(3);
        assertThat(AnswerReader.countRecords(answer(" [ ] "), RUN)).isZero();
    }

    @Test
    void saysWhereAMalformedAnswerBreaks() throws Exception {
        Path broken = answer("[{\"username\":\"a\"},\n {\"username\": \"b\" \"course_id\": 1}]");
        assertThatThrownBy(() -> AnswerReader.countRecords(broken, RUN))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("moocit answer for moocit-course-completions is not valid JSON at line 2, column");
    }

    @Test
    void rejectsAnAnswerCutShortAnObjectOrTrailingText() throws Exception {
        Path cut = answer("[{\"username\":\"a\"}, {\"user");
        assertThatThrownBy(() -> AnswerReader.countRecords(cut, RUN)).isInstanceOf(MalformedAnswerException.class);
        Path object = answer("{\"results\": []}");
        assertThatThrownBy(() -> AnswerReader.countRecords(object, RUN))
                .hasMessageContaining("expected a JSON array");
        Path trailing = answer("[] []");
        assertThatThrownBy(() -> AnswerReader.countRecords(trailing, RUN)).hasMessageContaining("follows");
        Path empty = answer("");
        assertThatThrownBy(() -> AnswerReader.countRecords(empty, RUN)).hasMessageContaining("empty");
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
            new AnswerDownload(dir.resolve("work"), 0, bounds(Long.MAX_VALUE)).process(exchange);
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
            assertThat(AnswerReader.check(file, AnswerShape.ARRAY_OR_OBJECTS, RUN).records()).as(bare).isEqualTo(2);
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
        assertThatThrownBy(() -> AnswerReader.check(sample, AnswerShape.ARRAY_OR_OBJECTS, RUN))
                .as("the page's own sample ends in '...': not JSON, and said so")
                .isInstanceOf(MalformedAnswerException.class);
    }

    @Test
    void aProbeReadsTheEnvelopeAndAtMostAPageOfRecordsAndLeavesTheRestUnread() throws Exception {
        StringBuilder json = new StringBuilder("{\"totalItems\": 5000, \"limit\": 100, \"enrollments\": [");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"e").append(i).append("\"}");
        }
        Answer head = AnswerReader.head(new java.io.ByteArrayInputStream(json.append("]}").toString()
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
        Answer read = AnswerReader.check(envelope, shape, RUN);
        assertThat(List.of(read.records(), read.totalItems(), read.ids())).isEqualTo(List.of(2L, 5L, List.of("e3", "e4")));
        assertThat(read.field("returnedItems")).as("the envelope's scalars, for the paging").isEqualTo("2");
        List<String> ids = new ArrayList<>();
        new JsonArrayChunks(10).split(envelope, shape).forEachRemaining(c -> c.forEach(n -> ids.add(n.get("id").asText())));
        assertThat(ids).containsExactly("e3", "e4");

        Path bare = answer("[{\"id\": \"e1\"}]");
        Answer array = AnswerReader.check(bare, shape, RUN);
        assertThat(java.util.Arrays.asList(array.records(), array.totalItems(), array.ids()))
                .isEqualTo(java.util.Arrays.asList(1L, null, List.of("e1")));
        Path missing = answer("{\"totalItems\": 0, \"courses\": []}");
        assertThatThrownBy(() -> AnswerReader.check(missing, shape, RUN)).hasMessageContaining("no \"enrollments\"");
    }

    @Test
    void anEmptyArrayGivesNoChunk() throws Exception {
        assertThat(new JsonArrayChunks(3).split(answer("[]"), AnswerShape.ARRAY).hasNext()).isFalse();
    }
}

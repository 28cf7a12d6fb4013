package io.lmssync.source;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A source's part of the built-in demo ({@code --demo}): the answers it serves on localhost and the settings that
 * point the source at them. The demo serves each source under a path of its own, which is the source's
 * {@code <key>.base-url}; {@code settings} gets that URL and gives the source's credentials and whatever else it
 * needs (they may override the base URL).
 */
public record Demo(List<Answer> answers, Function<String, Map<String, String>> settings) {

    /**
     * Requests to {@code path...} (under the source's base URL) that carry the Authorization (null: any) get either a
     * classpath resource ({@code *} in its name stands for the last segment of the request's path) or a fixed body.
     * A file of a windowed stream's records is served to the newest window only (its end, as {@code window} put it
     * on the request, within the last hour); older windows get an empty array.
     */
    public record Answer(String path, String authorization, String resource, String body, Paged paged,
            Map<String, String> headers, WindowPlacement window) {

        public static Answer file(String path, String authorization, String resource) {
            return new Answer(path, authorization, resource, null, null, Map.of(), WindowPlacement.none());
        }

        public static Answer body(String path, String authorization, String body) {
            return new Answer(path, authorization, null, body, null, Map.of(), WindowPlacement.none());
        }

        /** The same answer, paged as the source pages it: the request's page of the envelope's items. */
        public Answer paged(Paged paging) {
            return new Answer(path, authorization, resource, body, paging, headers, window);
        }

        /** The same answer, for requests whose window {@code placement} puts on them. */
        public Answer windowed(WindowPlacement placement) {
            return new Answer(path, authorization, resource, body, paged, headers, placement);
        }

        /** The same answer, with a header the source sends on every answer. */
        public Answer header(String name, String value) {
            Map<String, String> more = new java.util.LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(path, authorization, resource, body, paged, Map.copyOf(more), window);
        }
    }

    /**
     * How a source pages an envelope ({@code itemsField}, with {@code totalItems}, {@code returnedItems},
     * {@code limit} and {@code offset}): a limit and an offset parameter, the offset a page index or a record count.
     */
    public record Paged(String limitParam, String offsetParam, boolean pageIndex, String itemsField) {
    }
}

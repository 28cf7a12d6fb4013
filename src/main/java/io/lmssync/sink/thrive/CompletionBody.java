package io.lmssync.sink.thrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Thrive takes for a completion, in the names of {@code thrive.fields}. It is built here only, so what a push
 * sends, what its dead letter keeps and what a check sends are the same body; a refusal's body is read back here to
 * know which completion it was.
 */
final class CompletionBody {

    /** The body's names for the user, the content and the completion time (thrive.fields). */
    private final List<String> fields;

    CompletionBody(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    List<String> fields() {
        return fields;
    }

    /** The body of a completion in Thrive's ids. */
    String of(ThrivePush.Push push) {
        return of(push.userId(), push.contentId(), push.completedAt());
    }

    String of(String userId, String contentId, String completedAt) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put(fields.get(0), userId);
        body.put(fields.get(1), contentId);
        body.put(fields.get(2), completedAt);
        return Json.write(body);
    }

    /** The completion time a body was sent with ({"completedAt": ...}), or null. */
    String completedAt(String body) {
        try {
            JsonNode sent = Json.MAPPER.readTree(body);
            return sent == null ? null : Json.text(sent, fields.get(2));
        } catch (IOException e) {
            return null;
        }
    }
}

package io.lmssync.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper lms-sync uses, and short helpers around it. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * What an HTTP answer's body says, for an error message: its JSON {@code message} field, else the body as it came,
     * cut at 1,000 characters (an HTML error page is not quoted whole), or "(no message)".
     */
    public static String answerMessage(String body) {
        String message = body;
        try {
            String field = body == null || body.isBlank() ? null : text(MAPPER.readTree(body), "message");
            if (field != null) {
                message = field;
            }
        } catch (JsonProcessingException e) {
            // not JSON: the answer as it came
        }
        return message == null || message.isBlank() ? "(no message)"
                : message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }

    /** The text of a field, or null when it is missing, null or empty after trimming. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }
}

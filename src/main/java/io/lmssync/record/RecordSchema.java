package io.lmssync.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates canonical records against {@code schema/learning-record-v1.schema.json}, the record's contract, compiled
 * once into a check per field of the typed record: the record is never turned into a JSON tree to be validated (a
 * general validator on a rebuilt tree was a quarter of a sync's time). The constraints (types, enums, patterns,
 * lengths, ranges) are read from the schema file, which stays the one place they are stated; the schema may use only
 * the keywords this understands, and each of its fields must be a field of the record (both checked when it loads).
 * A test holds this equal to a general JSON Schema validator.
 */
public final class RecordSchema {

    public static final String LOCATION = "schema/learning-record-v1.schema.json";

    private static final Set<String> KEYWORDS = Set.of("$schema", "$id", "$defs", "$ref", "title", "description",
            "type", "additionalProperties", "required", "properties", "enum", "const", "pattern", "minLength",
            "maxLength", "minimum", "maximum");

    /** The record's optional parts: objects a record without them leaves out (their fields then read as null). */
    private static final Set<String> OPTIONAL = Set.of("parent", "details");

    /** Each field of the record, by its path in the canonical JSON. */
    private static final Map<String, Function<LearningRecord, Object>> FIELDS = fields();

    /** The constraints of one field. */
    private record Check(String path, Function<LearningRecord, Object> value, Set<String> types, Set<Object> enums,
            Pattern pattern, Integer minLength, Integer maxLength, BigDecimal minimum, BigDecimal maximum) {

        void problems(LearningRecord record, List<String> out) {
            Object v = value.apply(record);
            String type = typeOf(v);
            if (!types.isEmpty() && !types.contains(type) && !(type.equals("integer") && types.contains("number"))) {
                out.add("$." + path + ": " + type + " found, " + String.join(" or ", types) + " expected");
                return;
            }
            if (v == null) {
                return;
            }
            if (enums != null && !enums.contains(v instanceof Number n ? new BigDecimal(n.toString()) : v)) {
                out.add("$." + path + ": does not have a value in the enumeration " + enums);
            }
            if (v instanceof String s) {
                int length = s.codePointCount(0, s.length());
                if (maxLength != null && length > maxLength) {
                    out.add("$." + path + ": must be at most " + maxLength + " characters long");
                }
                if (minLength != null && length < minLength) {
                    out.add("$." + path + ": must be at least " + minLength + " characters long");
                }
                if (pattern != null && !pattern.matcher(s).find()) {
                    out.add("$." + path + ": does not match the regex pattern " + pattern.pattern());
                }
            }
            if (v instanceof Number n) {
                BigDecimal d = new BigDecimal(n.toString());
                if (maximum != null && d.compareTo(maximum) > 0) {
                    out.add("$." + path + ": must have a maximum value of " + maximum.toPlainString());
                }
                if (minimum != null && d.compareTo(minimum) < 0) {
                    out.add("$." + path + ": must have a minimum value of " + minimum.toPlainString());
                }
            }
        }
    }

    private final List<Check> checks;

    public RecordSchema() {
        JsonNode schema;
        try (InputStream in = RecordSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("the record schema " + LOCATION + " is missing from the classpath");
            }
            schema = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LOCATION, e);
        }
        checks = new ArrayList<>();
        compile(schema, schema, "");
        Set<String> unchecked = new HashSet<>(FIELDS.keySet());
        checks.forEach(check -> unchecked.remove(check.path()));
        if (!unchecked.isEmpty()) {
            throw new IllegalStateException(LOCATION + " does not describe the record's fields " + unchecked);
        }
    }

    /** What is wrong with the record, one sentence a problem, or an empty string when it is valid. */
    public String problems(LearningRecord record) {
        List<String> problems = new ArrayList<>(0);
        for (Check check : checks) {
            check.problems(record, problems);
        }
        return problems.isEmpty() ? "" : String.join("; ", problems.stream().sorted().toList());
    }

    /** Turns the properties of an object schema into checks; nested objects (learner, content) recursively. */
    private void compile(JsonNode root, JsonNode object, String prefix) {
        keywords(object, prefix);
        Set<String> required = new HashSet<>();
        object.path("required").forEach(name -> required.add(name.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = object.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String path = prefix + property.getKey();
            JsonNode spec = resolve(root, property.getValue());
            keywords(spec, path);
            if (!required.contains(property.getKey()) && !(prefix.isEmpty() && OPTIONAL.contains(path))) {
                throw new IllegalStateException(LOCATION + ": " + path + " is not required; every field of the record "
                        + "is always present, but for " + OPTIONAL);
            }
            if (spec.has("properties")) {
                compile(root, spec, path + ".");
                continue;
            }
            Function<LearningRecord, Object> value = FIELDS.get(path);
            if (value == null) {
                throw new IllegalStateException(LOCATION + " names " + path + ", which is no field of the record");
            }
            Set<String> types = new HashSet<>();
            JsonNode type = spec.path("type");
            (type.isArray() ? type : Json.MAPPER.createArrayNode().add(type)).forEach(t -> {
                if (!t.isMissingNode() && !t.asText().isEmpty()) {
                    types.add(t.asText());
                }
            });
            Set<Object> enums = null;
            if (spec.has("enum") || spec.has("const")) {
                enums = new java.util.LinkedHashSet<>();
                for (JsonNode e : spec.has("enum") ? spec.get("enum") : Json.MAPPER.createArrayNode().add(spec.get("const"))) {
                    enums.add(e.isNumber() ? e.decimalValue() : e.isBoolean() ? e.booleanValue() : e.asText());
                }
            }
            checks.add(new Check(path, value, types, enums,
                    spec.has("pattern") ? Pattern.compile(spec.get("pattern").asText()) : null,
                    spec.has("minLength") ? spec.get("minLength").asInt() : null,
                    spec.has("maxLength") ? spec.get("maxLength").asInt() : null,
                    spec.has("minimum") ? spec.get("minimum").decimalValue() : null,
                    spec.has("maximum") ? spec.get("maximum").decimalValue() : null));
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode spec) {
        if (!spec.has("$ref")) {
            return spec;
        }
        String ref = spec.get("$ref").asText();
        if (!ref.startsWith("#/$defs/")) {
            throw new IllegalStateException(LOCATION + ": only #/$defs/ references are understood, not " + ref);
        }
        return root.path("$defs").path(ref.substring("#/$defs/".length()));
    }

    private static void keywords(JsonNode spec, String path) {
        spec.fieldNames().forEachRemaining(keyword -> {
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalStateException(LOCATION + ": the keyword " + keyword + " at " + path
                        + " is not understood by RecordSchema; teach it, or do without");
            }
        });
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Integer || value instanceof Long) {
            return "integer";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof JsonNode node) {
            return node.isObject() ? "object" : node.isArray() ? "array" : node.getNodeType().name().toLowerCase();
        }
        return value.getClass().getSimpleName();
    }

    private static Map<String, Function<LearningRecord, Object>> fields() {
        Map<String, Function<LearningRecord, Object>> f = new LinkedHashMap<>();
        f.put("record_id", LearningRecord::recordId);
        f.put("schema_version", LearningRecord::schemaVersion);
        f.put("source", LearningRecord::source);
        f.put("source_tenant", LearningRecord::sourceTenant);
        f.put("record_type", LearningRecord::recordType);
        f.put("source_record_id", LearningRecord::sourceRecordId);
        f.put("learner.source_user_id", r -> r.learner().sourceUserId());
        f.put("learner.email", r -> r.learner().email());
        f.put("learner.username", r -> r.learner().username());
        f.put("learner.full_name", r -> r.learner().fullName());
        f.put("learner.first_name", r -> r.learner().firstName());
        f.put("learner.last_name", r -> r.learner().lastName());
        f.put("learner.external_id", r -> r.learner().externalId());
        f.put("content.source_content_id", r -> r.content().sourceContentId());
        f.put("content.title", r -> r.content().title());
        f.put("content.type", r -> r.content().type());
        f.put("content.version_id", r -> r.content().versionId());
        f.put("parent.course_id", r -> r.parent() == null ? null : r.parent().courseId());
        f.put("parent.course_enrollment_id", r -> r.parent() == null ? null : r.parent().courseEnrollmentId());
        f.put("parent.chapter_id", r -> r.parent() == null ? null : r.parent().chapterId());
        f.put("parent.lesson_id", r -> r.parent() == null ? null : r.parent().lessonId());
        f.put("parent.lesson_enrollment_id", r -> r.parent() == null ? null : r.parent().lessonEnrollmentId());
        f.put("details.credits", r -> r.details() == null ? null : r.details().credits());
        f.put("details.certificate_id", r -> r.details() == null ? null : r.details().certificateId());
        f.put("details.collection_id", r -> r.details() == null ? null : r.details().collectionId());
        f.put("details.attempts", r -> r.details() == null ? null : r.details().attempts());
        f.put("details.failures", r -> r.details() == null ? null : r.details().failures());
        f.put("details.last_attempt_at", r -> r.details() == null ? null : r.details().lastAttemptAt());
        f.put("status", LearningRecord::status);
        f.put("source_status", LearningRecord::sourceStatus);
        f.put("progress", LearningRecord::progress);
        f.put("score_percent", LearningRecord::scorePercent);
        f.put("time_spent_seconds", LearningRecord::timeSpentSeconds);
        f.put("assigned_at", LearningRecord::assignedAt);
        f.put("enrolled_at", LearningRecord::enrolledAt);
        f.put("started_at", LearningRecord::startedAt);
        f.put("completed_at", LearningRecord::completedAt);
        f.put("due_at", LearningRecord::dueAt);
        f.put("expires_at", LearningRecord::expiresAt);
        f.put("source_updated_at", LearningRecord::sourceUpdatedAt);
        f.put("is_active", LearningRecord::isActive);
        f.put("is_deleted", LearningRecord::isDeleted);
        f.put("content_hash", LearningRecord::contentHash);
        f.put("fetched_at", LearningRecord::fetchedAt);
        f.put("raw", LearningRecord::raw);
        return Map.copyOf(f);
    }
}

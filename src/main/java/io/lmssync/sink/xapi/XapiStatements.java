package io.lmssync.sink.xapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The xAPI 1.0.3 statements of canonical records: one per completion state of a record ({@link #state}), with an id
 * that is a name-based (v5) UUID of the record id and that state, and the statement that voids one. No I/O.
 */
public final class XapiStatements {

    /** Who a statement is about: the source's account of the learner, or the learner's e-mail. */
    public enum Actor { ACCOUNT, MBOX }

    static final String VERBS = "http://adlnet.gov/expapi/verbs/";
    /** The context extension that traces a statement back to its record. */
    public static final String RECORD_ID = "https://lms-sync.io/xapi/extensions/record_id";
    /** cmi5's progress, an integer percentage, for {@code progressed} statements. */
    static final String PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";
    /** The namespace of lms-sync's statement ids (a fixed UUID: the same record and state give the same id). */
    private static final UUID NAMESPACE = UUID.fromString("6f1c2b1e-5a0d-4c59-9a8e-3f7c2e9b4d10");
    private static final Map<String, String> ACTIVITY_TYPES = Map.of(
            "course", "http://adlnet.gov/expapi/activities/course",
            "lesson", "http://adlnet.gov/expapi/activities/lesson",
            "assessment", "http://adlnet.gov/expapi/activities/assessment",
            "workshop", "http://adlnet.gov/expapi/activities/meeting");
    private static final String OTHER_TYPE = "http://adlnet.gov/expapi/activities/module";

    private final Actor actor;
    /** The base of activity ids; null: the source's tenant URL. */
    private final String activityBase;
    private final boolean progressed;
    /** Who voids: lms-sync, an account at the LRS's endpoint. */
    private final String voider;

    public XapiStatements(Actor actor, String activityBase, boolean progressed, String endpoint) {
        this.actor = actor;
        this.activityBase = activityBase == null ? null : activityBase.replaceAll("/+$", "");
        this.progressed = progressed;
        this.voider = endpoint;
    }

    /**
     * The record's completion state, what its statement says: {@code completed}, {@code passed}, {@code failed}, or
     * {@code progressed:<progress>} when progressed statements are sent; null when it has none to send (deleted, or
     * not complete).
     */
    public String state(LearningRecord record) {
        if (record.isDeleted()) {
            return null;
        }
        String status = record.status();
        if ("completed".equals(status) || "passed".equals(status) || "failed".equals(status)) {
            return status;
        }
        return progressed && record.progress() != null ? "progressed:" + record.progress() : null;
    }

    /**
     * The id of a record's statement of a state: a v5 UUID of both, and of how many earlier statements of that state
     * were voided (a record that returns after its deletion gets a new statement, not the voided one again).
     */
    public static UUID id(String recordId, String state, int voidedBefore) {
        return v5(recordId + "\n" + state + (voidedBefore == 0 ? "" : "\n" + voidedBefore));
    }

    /** The id of the statement that voids another. */
    public static UUID voidingId(UUID voided) {
        return v5("voided\n" + voided);
    }

    /** The record's statement of the state {@link #state} gave. */
    public ObjectNode statement(LearningRecord record, String state, UUID id) {
        ObjectNode statement = Json.MAPPER.createObjectNode();
        statement.put("id", id.toString());
        statement.set("actor", actor(record));
        String verb = state.startsWith("progressed") ? "progressed" : state;
        statement.set("verb", verb(verb));
        statement.set("object", activity(record));
        ObjectNode result = result(record, verb);
        if (!result.isEmpty()) {
            statement.set("result", result);
        }
        ObjectNode context = statement.putObject("context");
        context.put("platform", record.source());
        context.putObject("extensions").put(RECORD_ID, record.recordId());
        String timestamp = verb.equals("progressed") ? record.sourceUpdatedAt() : record.completedAt();
        if (timestamp != null) {
            statement.put("timestamp", timestamp);
        }
        return statement;
    }

    /** The statement voiding an earlier one of the record: verb voided, object its StatementRef. */
    public ObjectNode voiding(String recordId, UUID voided) {
        ObjectNode statement = Json.MAPPER.createObjectNode();
        statement.put("id", voidingId(voided).toString());
        ObjectNode agent = statement.putObject("actor").put("objectType", "Agent").put("name", "lms-sync");
        agent.putObject("account").put("homePage", voider).put("name", "lms-sync");
        statement.set("verb", verb("voided"));
        statement.putObject("object").put("objectType", "StatementRef").put("id", voided.toString());
        statement.putObject("context").putObject("extensions").put(RECORD_ID, recordId);
        return statement;
    }

    /** The learner: the source's account (its tenant URL, its user id), or the e-mail; a missing one stays out. */
    private ObjectNode actor(LearningRecord record) {
        ObjectNode agent = Json.MAPPER.createObjectNode().put("objectType", "Agent");
        if (actor == Actor.MBOX) {
            if (record.learner().email() != null) {
                agent.put("mbox", "mailto:" + record.learner().email().trim().toLowerCase(Locale.ROOT));
            }
        } else if (record.learner().sourceUserId() != null) {
            agent.putObject("account").put("homePage", tenantUrl(record)).put("name", record.learner().sourceUserId());
        }
        return agent;
    }

    private static ObjectNode verb(String verb) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("id", VERBS + verb);
        node.putObject("display").put("en-US", verb);
        return node;
    }

    /** The content as an Activity: its id from the source and the content id, its title (else id) and type. */
    private ObjectNode activity(LearningRecord record) {
        ObjectNode activity = Json.MAPPER.createObjectNode().put("objectType", "Activity");
        String contentId = record.content().sourceContentId();
        if (contentId == null) {
            return activity; // no id: the schema refuses it, naming the missing part
        }
        String base = activityBase != null ? activityBase : tenantUrl(record);
        activity.put("id", base + "/xapi/activities/" + record.source() + "/"
                + URLEncoder.encode(contentId, StandardCharsets.UTF_8));
        ObjectNode definition = activity.putObject("definition");
        String title = record.content().title();
        definition.putObject("name").put("und", title != null ? title : contentId);
        definition.put("type", ACTIVITY_TYPES.getOrDefault(String.valueOf(record.content().type()), OTHER_TYPE));
        return activity;
    }

    /** Score (scaled 0..1 and raw percent), success, completion, duration; progress on a progressed statement. */
    private static ObjectNode result(LearningRecord record, String verb) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        if (record.scorePercent() != null) {
            result.putObject("score").put("scaled", record.scorePercent() / 100).put("raw", record.scorePercent())
                    .put("min", 0).put("max", 100);
        }
        switch (verb) {
            case "passed" -> result.put("success", true).put("completion", true);
            case "failed" -> result.put("success", false);
            case "completed" -> result.put("completion", true);
            default -> result.put("completion", false).putObject("extensions").put(PROGRESS,
                    Math.round(record.progress() * 100));
        }
        if (record.timeSpentSeconds() != null) {
            result.put("duration", "PT" + record.timeSpentSeconds() + "S");
        }
        return result;
    }

    private static String tenantUrl(LearningRecord record) {
        return "https://" + record.sourceTenant();
    }

    /** A name-based UUID, version 5 (SHA-1), in lms-sync's namespace (RFC 4122, 4.3). */
    static UUID v5(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array());
            ByteBuffer hash = ByteBuffer.wrap(sha1.digest(name.getBytes(StandardCharsets.UTF_8)));
            long high = hash.getLong() & ~0xF000L | 0x5000L;
            long low = hash.getLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
            return new UUID(high, low);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}

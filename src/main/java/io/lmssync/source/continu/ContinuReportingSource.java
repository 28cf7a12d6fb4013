package io.lmssync.source.continu;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.record.Json;
import io.lmssync.source.Demo;
import io.lmssync.source.RawMirror;
import io.lmssync.source.Reads;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.WindowPlacement;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.Stream;
import io.lmssync.source.StaticTokenAuth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Continu's Reporting API: every endpoint group of the vendor's sync guidance is a stream described by settings
 * ({@code continu-reporting.<group>.*}): {@code POST /reports/<group>/<from>/<until>} (Unix seconds in the path) with
 * a flag for each field the group's mapper reads and each of its id fields, its filters ({@code user_filter: {}}, all
 * users, by default) and a {@code range_target} where the group's settings name one; a bare array a window, keyed by
 * the group's id fields, hourly on the source's schedule or daily on its own, mapped to a canonical record type or
 * kept raw. A static organisation token (raw, or with {@code continu-reporting.token-prefix}). Every group spends the
 * Continu account's budget and shares the source's windows, lookback and reconciliation.
 */
public final class ContinuReportingSource implements Source {

    /** The window's bounds, in Unix seconds: the path's {@code {from}} and {@code {until}}. */
    private static final WindowPlacement WINDOW = WindowPlacement.unixSecondsSegments();

    /** Its calls spend the Continu account's budget. */
    private static final Description DESCRIPTION = new Description("continu-reporting", "Continu Reporting",
            "continu", true, List.of("continu-reporting.token"), Set.of());

    /** A daily group's schedule, as the guidance reads them (an hourly group runs on the source's, hourly). */
    private static final String DAILY = "0 30 2 * * ?";

    /**
     * An endpoint group of the guidance's table: its slug, how often the guidance reads it, the id fields and record
     * type where the public pages name them (page 001 names completion_id, assignment_id and assessment_id as the ids
     * to upsert by). Whether it is on is {@code continu-reporting.<group>.enabled}.
     */
    record Group(String slug, boolean daily, List<String> idFields, String recordType) {

        /** Its stream's name under the source: content completion's is plural, named before there were others. */
        String name() {
            return slug.equals("content-completion") ? "content-completions" : slug;
        }

        String key(String setting) {
            return "continu-reporting." + slug + "." + setting;
        }
    }

    static final List<Group> GROUPS = List.of(
            new Group("content-completion", false, List.of("completion_id"), "content_completion"),
            new Group("user-content", false, List.of(), ""),
            new Group("user-engagement", false, List.of(), ""),
            new Group("assignment-summary", true, List.of("assignment_id"), "assignment"),
            new Group("pivoted-assignments", true, List.of(), ""),
            new Group("assessment-status", true, List.of("assessment_id"), "assessment"),
            new Group("track-status", true, List.of(), ""),
            new Group("scorm-status", true, List.of(), ""),
            new Group("workshop-engagement", true, List.of(), ""),
            new Group("workshop-status", true, List.of(), ""),
            new Group("manager-summary", true, List.of(), ""),
            new Group("simplified-assignments", true, List.of(), ""));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    /** Each group's settings ({@code continu-reporting.<group>.<setting>}). */
    @Override
    public Set<String> settingKeys() {
        Set<String> keys = new java.util.TreeSet<>();
        for (Group group : GROUPS) {
            for (String setting : List.of("enabled", "id-fields", "path", "range-target", "fields", "body", "cron",
                    "record-type")) {
                keys.add(group.key(setting));
            }
        }
        return keys;
    }

    @Override
    public Map<String, String> retiredSettings() {
        return Map.of(
                "continu-reporting.fields", "a group's body asks for the fields its mapper reads and its id fields; "
                        + "continu-reporting.<group>.fields adds more",
                "continu-reporting.range-target", "range_target is sent only where a group asks for it: "
                        + "continu-reporting.<group>.range-target");
    }

    /**
     * A stream for each group switched on ({@code continu-reporting.<group>.enabled}): on the source's hourly
     * schedule, or on its own cron (a daily group's, or {@code .cron}'s).
     */
    @Override
    public List<Stream> streams(SourceContext context) {
        Settings settings = context.settings();
        StaticTokenAuth auth = new StaticTokenAuth(settings.optional("continu-reporting.token-prefix").orElse(""),
                context.credential("continu-reporting.token"));
        return GROUPS.stream().filter(group -> settings.flag(group.key("enabled")))
                .map(group -> stream(context, settings, auth, group)).toList();
    }

    /** A group's stream: its plan, and its mapper (or its mirror, when it is kept raw). */
    private Stream stream(SourceContext context, Settings settings, StaticTokenAuth auth, Group group) {
        List<String> idFields = settings.optional(group.key("id-fields")).map(Settings::split)
                .orElse(group.idFields());
        if (idFields.isEmpty()) {
            throw new ConfigurationException(group.key("id-fields") + " must name the fields that identify a "
                    + group.slug() + " row (the vendor's public pages do not) when " + group.key("enabled")
                    + "=true: comma-separated, several for a composite key");
        }
        String path = settings.optional(group.key("path")).orElse("/reports/" + group.slug() + "/{from}/{until}");
        if (!path.contains("{from}") || !path.contains("{until}")) {
            throw new ConfigurationException(group.key("path") + " must hold {from} and {until}, not '" + path
                    + "'");
        }
        String recordType = settings.optional(group.key("record-type")).orElse(group.recordType());
        if (recordType.isEmpty() && !settings.flag("sync.raw-archive.enabled")) {
            // a group kept raw lives only in the archive: without it, what it fetched would reach no sink
            throw new ConfigurationException(group.key("enabled") + "=true keeps " + group.slug() + " raw (no "
                    + group.key("record-type") + "), which needs sync.raw-archive.enabled=true");
        }
        RawMirror raw = new RawMirror(idFields);
        ContinuReportMapper mapped = recordType.isEmpty() ? null : new ContinuReportMapper(recordType, idFields);
        Reads reads = mapped == null ? raw.reads() : mapped.reads();
        Stream stream = context.stream(group.name(), RequestPlan.of(account(), "POST", context.baseUrl(), path, auth)
                .body(body(settings, group, reads))
                .window(WINDOW)
                .keyedBy(idFields)
                .settings(group.key("path"), group.key("fields"), group.key("body"), group.key("range-target"))
                .build(), mapped == null ? raw : mapped);
        String cron = settings.optional(group.key("cron")).orElse(group.daily() ? DAILY : null);
        return cron == null ? stream : stream.scheduled(cron, group.key("cron"));
    }

    /**
     * A group's request body: a flag for each field its mapper reads and each of its id fields, and those
     * {@code .fields} adds (a field not asked for is not sent); its filters ({@code .body}, a JSON object; by default
     * all users, {@code {"user_filter": {}}}, as the guidance's example sends); and {@code range_target} only when
     * {@code .range-target} names one (the guidance's example sends none).
     */
    static String body(Settings settings, Group group, Reads reads) {
        Map<String, Object> body = new LinkedHashMap<>();
        reads.ids().forEach(field -> body.put(field, true));
        reads.fields().forEach(field -> body.put(field, true));
        settings.list(group.key("fields")).forEach(field -> body.put(field, true));
        String filters = settings.optional(group.key("body")).orElse("{\"user_filter\": {}}");
        try {
            Json.MAPPER.readTree(filters).fields().forEachRemaining(f -> body.put(f.getKey(), f.getValue()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new ConfigurationException(group.key("body") + " must be a JSON object (filters such as "
                    + "{\"user_filter\": {}}), not '" + filters + "'");
        }
        settings.optional(group.key("range-target")).ifPresent(target -> body.put("range_target", target));
        return Json.write(body);
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(
                Demo.Answer.file("/reports/content-completion/", "demo-reporting-token",
                        "demo/continu/content-completion.json")
                        .windowed(WINDOW).header("X-REQUESTS-PER-MINUTE", "1"),
                Demo.Answer.file("/reports/assessment-status/", "demo-reporting-token",
                        "demo/continu/assessment-status.json")
                        .windowed(WINDOW).header("X-REQUESTS-PER-MINUTE", "1"),
                Demo.Answer.file("/reports/user-engagement/", "demo-reporting-token",
                        "demo/continu/user-engagement.json")
                        .windowed(WINDOW).header("X-REQUESTS-PER-MINUTE", "1")),
                base -> Map.of("continu-reporting.token", "demo-reporting-token",
                        // a mapped group and one kept raw, by a composite key
                        "continu-reporting.assessment-status.enabled", "true",
                        "continu-reporting.user-engagement.enabled", "true",
                        "continu-reporting.user-engagement.id-fields", "user_id,content_id"));
    }
}

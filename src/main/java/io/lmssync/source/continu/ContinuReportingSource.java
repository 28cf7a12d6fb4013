package io.lmssync.source.continu;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.record.Json;
import io.lmssync.source.Demo;
import io.lmssync.source.RawMirror;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.RequestPlan.WindowPlacement;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.StaticTokenAuth;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quartz.CronExpression;

/**
 * Continu's Reporting API: every endpoint group of the vendor's sync guidance is a stream described by settings
 * ({@code continu-reporting.<group>.*}): {@code POST /reports/<group>/<from>/<until>} (Unix seconds in the path) with
 * the group's field selection, filters ({@code user_filter: {}}, all users, by default) and {@code range_target}, a
 * bare array a window, keyed by the group's id fields, on the group's own cron, mapped to a canonical record type or
 * kept raw. A static organisation token (raw, or with {@code continu-reporting.token-prefix}). Every group spends the
 * Continu account's budget (gateway in {@code routes/continu.camel.yaml}) and shares the source's windows, lookback
 * and reconciliation. Routes: {@code routes/continu-reporting.camel.yaml}.
 */
public final class ContinuReportingSource implements Source {

    /** Its calls spend the Continu account's budget. */
    private static final Description DESCRIPTION = new Description("continu-reporting", "Continu Reporting",
            "continu", true, List.of("continu-reporting.token"), Set.of());

    /** Content completion's stream, named before there were other groups. */
    public static final String STREAM = "continu-reporting-content-completions";

    private static final String HOURLY = "0 30 * * * ?";
    private static final String DAILY = "0 30 2 * * ?";

    /**
     * An endpoint group of the guidance's table: its slug, how often the guidance reads it, the id fields and record
     * type where the public pages name them (page 001 names completion_id, assignment_id and assessment_id as the ids
     * to upsert by). Whether it is on is {@code continu-reporting.<group>.enabled}.
     */
    record Group(String slug, String cron, List<String> idFields, String recordType) {

        String stream() {
            return slug.equals("content-completion") ? STREAM : "continu-reporting-" + slug;
        }

        String key(String setting) {
            return "continu-reporting." + slug + "." + setting;
        }
    }

    static final List<Group> GROUPS = List.of(
            new Group("content-completion", HOURLY, List.of("completion_id"), "content_completion"),
            new Group("user-content", HOURLY, List.of(), ""),
            new Group("user-engagement", HOURLY, List.of(), ""),
            new Group("assignment-summary", DAILY, List.of("assignment_id"), "assignment"),
            new Group("pivoted-assignments", DAILY, List.of(), ""),
            new Group("assessment-status", DAILY, List.of("assessment_id"), "assessment"),
            new Group("track-status", DAILY, List.of(), ""),
            new Group("scorm-status", DAILY, List.of(), ""),
            new Group("workshop-engagement", DAILY, List.of(), ""),
            new Group("workshop-status", DAILY, List.of(), ""),
            new Group("manager-summary", DAILY, List.of(), ""),
            new Group("simplified-assignments", DAILY, List.of(), ""));

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> streams(Settings settings) {
        return GROUPS.stream().filter(g -> enabled(settings, g)).map(Group::stream).toList();
    }

    /** A group's own cron: its scheduled syncs run on the source's firings that reach it. */
    @Override
    public Optional<String> cron(String stream, Settings settings) {
        return GROUPS.stream().filter(g -> g.stream().equals(stream)).findFirst()
                .map(g -> settings.optional(g.key("cron")).orElse(g.cron()));
    }

    private static boolean enabled(Settings settings, Group group) {
        return settings.flag(group.key("enabled"));
    }

    @Override
    public void bind(SourceContext context) {
        Settings settings = context.settings();
        StaticTokenAuth auth = new StaticTokenAuth(settings.optional("continu-reporting.token-prefix").orElse(""),
                context.credential("continu-reporting.token"));
        for (Group group : GROUPS) {
            if (!enabled(settings, group)) {
                continue;
            }
            List<String> idFields = settings.optional(group.key("id-fields")).map(Settings::split)
                    .orElse(group.idFields());
            if (idFields.isEmpty()) {
                throw new ConfigurationException(group.key("id-fields") + " must name the fields that identify a "
                        + group.slug() + " row (the vendor's public pages do not) when " + group.key("enabled")
                        + "=true: comma-separated, several for a composite key");
            }
            String cron = cron(group.stream(), settings).orElseThrow();
            try {
                CronExpression.validateExpression(cron);
            } catch (ParseException e) {
                throw new ConfigurationException(group.key("cron") + " is not a valid Quartz cron expression ('"
                        + cron + "'): " + e.getMessage());
            }
            String path = settings.optional(group.key("path")).orElse("/reports/" + group.slug() + "/{from}/{until}");
            if (!path.contains("{from}") || !path.contains("{until}")) {
                throw new ConfigurationException(group.key("path") + " must hold {from} and {until}, not '" + path
                        + "'");
            }
            String name = "continuReport-" + group.slug();
            context.bind(name, RequestPlan.of(account(), "POST", context.baseUrl(), path, auth)
                    .body(body(settings, group))
                    .window(WindowPlacement.unixSecondsSegments())
                    .build());
            String recordType = settings.optional(group.key("record-type")).orElse(group.recordType());
            if (recordType.isEmpty() && !settings.flag("sync.raw-archive.enabled")) {
                // a group kept raw lives only in the archive: without it, what it fetched would reach no sink
                throw new ConfigurationException(group.key("enabled") + "=true keeps " + group.slug() + " raw (no "
                        + group.key("record-type") + "), which needs sync.raw-archive.enabled=true");
            }
            context.bind(name + "-mapper", recordType.isEmpty() ? new RawMirror(idFields)
                    : new ContinuReportMapper(recordType, idFields));
        }
    }

    /**
     * A group's request body: its filters ({@code .body}, a JSON object; by default all users,
     * {@code {"user_filter": {}}}), its field selection ({@code .fields}, each {@code true}; content completion's
     * default is {@code continu-reporting.fields}), and {@code range_target} ({@code .range-target}, by default
     * {@code continu-reporting.range-target}).
     */
    static String body(Settings settings, Group group) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> fields = settings.optional(group.key("fields")).map(Settings::split)
                .orElse(group.slug().equals("content-completion") ? settings.list("continu-reporting.fields")
                        : List.of());
        fields.forEach(field -> body.put(field, true));
        String filters = settings.optional(group.key("body")).orElse("{\"user_filter\": {}}");
        try {
            Json.MAPPER.readTree(filters).fields().forEachRemaining(f -> body.put(f.getKey(), f.getValue()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new ConfigurationException(group.key("body") + " must be a JSON object (filters such as "
                    + "{\"user_filter\": {}}), not '" + filters + "'");
        }
        body.put("range_target", settings.optional(group.key("range-target"))
                .orElse(settings.text("continu-reporting.range-target")));
        return Json.write(body);
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(
                Demo.Answer.file("/reports/content-completion/", "demo-reporting-token",
                        "demo/continu/content-completion.json"),
                Demo.Answer.file("/reports/assessment-status/", "demo-reporting-token",
                        "demo/continu/assessment-status.json"),
                Demo.Answer.file("/reports/user-engagement/", "demo-reporting-token",
                        "demo/continu/user-engagement.json")),
                base -> Map.of("continu-reporting.token", "demo-reporting-token",
                        // a mapped group and one kept raw, by a composite key
                        "continu-reporting.assessment-status.enabled", "true",
                        "continu-reporting.user-engagement.enabled", "true",
                        "continu-reporting.user-engagement.id-fields", "user_id,content_id"));
    }
}

package io.lmssync.source.continu;

import io.lmssync.Settings;
import io.lmssync.record.Json;
import io.lmssync.source.Demo;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.RequestPlan.WindowPlacement;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.StaticTokenAuth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Continu's Reporting API: {@code POST /reports/content-completion/<from>/<until>} (Unix seconds in the path) with
 * the field selection and {@code range_target}, a bare array a window, with a static organisation token (raw, or
 * with {@code continu-reporting.token-prefix}). Its calls spend the Continu account's budget: routes in
 * {@code routes/continu-reporting.camel.yaml}, gateway in {@code routes/continu.camel.yaml}.
 */
public final class ContinuReportingSource implements Source {

    /** Its calls spend the Continu account's budget. */
    private static final Description DESCRIPTION = new Description("continu-reporting", "Continu Reporting",
            "continu", true, List.of("continu-reporting.token"), Set.of());

    public static final String STREAM = "continu-reporting-content-completions";

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> streams(Settings settings) {
        return List.of(STREAM);
    }

    @Override
    public void bind(SourceContext context) {
        Settings settings = context.settings();
        // sub-objects (content, user, assignment) only when listed
        Map<String, Object> body = new LinkedHashMap<>();
        settings.list("continu-reporting.fields").forEach(field -> body.put(field, true));
        body.put("range_target", settings.text("continu-reporting.range-target"));
        context.bind("continuContentCompletions", RequestPlan.of(account(), "POST", context.baseUrl(),
                        "/reports/content-completion/{from}/{until}",
                        new StaticTokenAuth(settings.optional("continu-reporting.token-prefix").orElse(""),
                                context.credential("continu-reporting.token")))
                .body(Json.write(body))
                .window(WindowPlacement.unixSecondsSegments())
                .build());
        context.bind("continuContentCompletionMapper", new ContinuContentCompletionMapper());
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(Demo.Answer.file("/reports/content-completion/", "demo-reporting-token",
                "demo/continu/content-completion.json")), base -> Map.of("continu-reporting.token",
                "demo-reporting-token"));
    }
}

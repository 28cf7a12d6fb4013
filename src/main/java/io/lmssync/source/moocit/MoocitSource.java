package io.lmssync.source.moocit;

import io.lmssync.Settings;
import io.lmssync.source.AnswerShape;
import io.lmssync.source.Demo;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.StaticTokenAuth;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MOOCit, an Open edX host: {@code GET /api/so2/v1/completion} answers every learner's completion of every course
 * as one bare array, a full snapshot every run, with a long-lived Bearer token. Routes: {@code routes/moocit.camel.yaml}.
 */
public final class MoocitSource implements Source {

    private static final Description DESCRIPTION = new Description("moocit", "MOOCit", "moocit", false,
            List.of("moocit.token"), Set.of());

    public static final String STREAM = "moocit-course-completions";

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
        MoocitCompletionMapper mapper = new MoocitCompletionMapper();
        context.bind("moocitCompletions", RequestPlan.of(key(), "GET", context.baseUrl(), "/api/so2/v1/completion",
                        new StaticTokenAuth("Bearer ", context.credential("moocit.token")))
                // MOOCit's page marks both as required on every call
                .header("Content-Type", "application/json")
                .header("Access-Control-Request-Headers", "authorization")
                // page 004's sample answer is objects separated by commas, without [ ]: both are read
                .shape(AnswerShape.ARRAY_OR_OBJECTS)
                .keyedBy(mapper.reads().ids())
                .settings("moocit.base-url")
                .build());
        context.bind("moocitCompletionMapper", mapper);
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(Demo.Answer.file("/api/so2/v1/completion", "Bearer demo-moocit-token",
                "demo/moocit/completion.json")), base -> Map.of("moocit.token", "demo-moocit-token"));
    }
}

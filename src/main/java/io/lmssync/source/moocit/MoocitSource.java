package io.lmssync.source.moocit;

import io.lmssync.source.AnswerShape;
import io.lmssync.source.Demo;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.Stream;
import io.lmssync.source.StaticTokenAuth;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MOOCit, an Open edX host: {@code GET /api/so2/v1/completion} answers every learner's completion of every course
 * as one bare array, a full snapshot every run, with a long-lived Bearer token.
 */
public final class MoocitSource implements Source {

    private static final Description DESCRIPTION = new Description("moocit", "MOOCit", "moocit", false,
            List.of("moocit.token"), Set.of());

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    /** One stream, {@code moocit-course-completions}: the whole list, every run. */
    @Override
    public List<Stream> streams(SourceContext context) {
        MoocitCompletionMapper mapper = new MoocitCompletionMapper();
        return List.of(context.stream("course-completions", RequestPlan.of(key(), "GET", context.baseUrl(),
                        "/api/so2/v1/completion", new StaticTokenAuth("Bearer ", context.credential("moocit.token")))
                // MOOCit's page marks both as required on every call
                .header("Content-Type", "application/json")
                .header("Access-Control-Request-Headers", "authorization")
                // page 004's sample answer is objects separated by commas, without [ ]: both are read
                .shape(AnswerShape.ARRAY_OR_OBJECTS)
                .keyedBy(mapper.reads().ids())
                .settings("moocit.base-url")
                .build(), mapper));
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(Demo.Answer.file("/api/so2/v1/completion", "Bearer demo-moocit-token",
                "demo/moocit/completion.json")), base -> Map.of("moocit.token", "demo-moocit-token"));
    }
}

package io.lmssync.source.analytics;

import io.lmssync.Settings;
import io.lmssync.source.AnswerShape;
import io.lmssync.source.BasicAuth;
import io.lmssync.source.Demo;
import io.lmssync.source.Paging;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.Stream;
import io.lmssync.source.WindowPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Django REST analytics API shaped like Udemy Business's (the worked example of README's "Add a source", test
 * only): HTTP Basic auth, {@code start_date}/{@code end_date} calendar-date windows, and answers
 * {@code {"count", "next", "previous", "results"}} paged by the {@code next} URL. Its content activity pages by a
 * {@code next_cursor} token instead ({@link ResumeTokenPaging}, a paging style of its own). Its settings are
 * {@code analytics.properties} beside this class; it is found through
 * {@code src/test/resources/META-INF/services/io.lmssync.source.Source}.
 */
public final class AnalyticsSource implements Source {

    private static final Description DESCRIPTION = new Description("analytics", "Analytics", "analytics", true,
            List.of("analytics.user", "analytics.password"), Set.of("analytics.user"));

    /** The window as calendar dates, both days included. */
    static final WindowPlacement WINDOW = WindowPlacement.calendarDates("start_date", "end_date");

    static final String COURSES = "/api/v1/analytics/user-course-activity/";
    static final String CONTENT = "/api/v1/analytics/user-content-activity/";

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    /**
     * {@code analytics-course-activity} (next-link paging) and, unless {@code analytics.content-activity=false},
     * {@code analytics-content-activity} (a {@code next_cursor} token).
     */
    @Override
    public List<Stream> streams(SourceContext context) {
        Settings settings = context.settings();
        String pageSize = String.valueOf(settings.positiveInt("analytics.page-size"));
        BasicAuth auth = new BasicAuth(context.credential("analytics.user"), context.credential("analytics.password"));
        List<Stream> streams = new ArrayList<>();
        AnalyticsActivityMapper courses = new AnalyticsActivityMapper("course_completion");
        streams.add(context.stream("course-activity", RequestPlan.of(key(), "GET", context.baseUrl(), COURSES, auth)
                .query("page_size", pageSize).window(WINDOW).paging(Paging.nextLink("next"))
                .shape(AnswerShape.envelope("results", "count", null)).keyedBy(courses.reads().ids())
                .settings("analytics.base-url", "analytics.page-size").build(), courses));
        if (settings.flag("analytics.content-activity")) {
            AnalyticsActivityMapper content = new AnalyticsActivityMapper("content_completion");
            streams.add(context.stream("content-activity", RequestPlan.of(key(), "GET", context.baseUrl(), CONTENT,
                            auth)
                    .query("page_size", pageSize).window(WINDOW).paging(new ResumeTokenPaging())
                    .shape(AnswerShape.envelope("results", null, null)).keyedBy(content.reads().ids())
                    .settings("analytics.base-url", "analytics.page-size").build(), content));
        }
        return streams;
    }

    /** One page of course activity for the newest window, and no content activity. */
    @Override
    public Demo demo() {
        String basic = "Basic ZGVtby11c2VyOmRlbW8tcGFzc3dvcmQ="; // demo-user:demo-password
        return new Demo(List.of(
                Demo.Answer.file(COURSES, basic, "demo/analytics/course-activity.json").windowed(WINDOW),
                Demo.Answer.body(CONTENT, basic, "{\"results\": [], \"next_cursor\": null, \"has_more\": false}")),
                base -> Map.of("analytics.user", "demo-user", "analytics.password", "demo-password"));
    }
}

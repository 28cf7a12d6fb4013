package io.lmssync.source.absorb;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.AnswerShape;
import io.lmssync.source.Demo;
import io.lmssync.source.Paging;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.RequestPlan.Partitioning;
import io.lmssync.source.RequestPlan.WindowPlacement;
import io.lmssync.source.SessionLoginToken;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Absorb LMS, Integration API v2: enrollments of courses ({@code /courses/<course>/enrollments}) and of lessons
 * ({@code /courses/<course>/lessons/<lesson>/enrollments}), read by {@code dateEdited} in time windows through an
 * OData filter, sorted by {@code dateEdited,id} (a total order), page by page ({@code _limit}, and {@code _offset} a
 * 0-based page index up to 65535) over an envelope. A session login ({@code POST /authenticate}) yields one token
 * for the user, which a new login ends: one per account. Every call carries {@code x-api-key} and
 * {@code x-api-version: 2}. Routes: {@code routes/absorb.camel.yaml}.
 */
public final class AbsorbSource implements Source {

    private static final Description DESCRIPTION = new Description("absorb", "Absorb", "absorb", true,
            List.of("absorb.api-key", "absorb.username", "absorb.password"), Set.of("absorb.username"));

    public static final String COURSE_ENROLLMENTS = "absorb-course-enrollments";
    public static final String LESSON_ENROLLMENTS = "absorb-lesson-enrollments";
    /** Absorb's largest {@code _limit} and {@code _offset}. */
    static final int MAX_PAGE_SIZE = 1000;
    static final int MAX_OFFSET = 65535;

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> streams(Settings settings) {
        return settings.flag("absorb.lesson-enrollments") ? List.of(COURSE_ENROLLMENTS, LESSON_ENROLLMENTS)
                : List.of(COURSE_ENROLLMENTS);
    }

    @Override
    public void bind(SourceContext context) {
        Settings settings = context.settings();
        int pageSize = settings.positiveInt("absorb.page-size");
        if (pageSize > MAX_PAGE_SIZE) {
            throw new ConfigurationException("absorb.page-size must be at most " + MAX_PAGE_SIZE + " (Absorb's largest"
                    + " _limit), not " + pageSize);
        }
        String apiKey = context.credential("absorb.api-key");
        Map<String, String> headers = Map.of("x-api-key", apiKey, "x-api-version", "2");
        SessionLoginToken token = context.token(new SessionLoginToken(URI.create(context.baseUrl() + "/authenticate"),
                Map.of("username", context.credential("absorb.username"),
                        "password", context.credential("absorb.password"), "privateKey", apiKey),
                headers, settings.duration("absorb.token-lifetime"), context.rejected(),
                settings.duration("absorb.token-renew-before"), context.clock(), context.connectTimeout()));
        Paging pages = Paging.pageIndex("_limit", "_offset", pageSize, MAX_OFFSET);
        WindowPlacement edited = WindowPlacement.odataFilter("_filter", "dateEdited", "_sort", "dateEdited,id");

        // the courses: absorb.course-ids, or every course GET /courses lists, page by page
        List<String> configured = settings.list("absorb.course-ids");
        Function<LearningRecord, String> course = record -> record.content().sourceContentId();
        Partitioning courses = configured.isEmpty()
                ? Partitioning.pathSegment(RequestPlan.of(key(), "GET", context.baseUrl(), "/courses", token)
                        .paging(pages).shape(AnswerShape.envelope("courses", "totalItems", "id")).build(), course)
                : Partitioning.pathSegment(exchange -> configured, course);
        context.bind("absorbCourseEnrollments", RequestPlan.of(key(), "GET", context.baseUrl(),
                        "/courses/{partition}/enrollments", token)
                .partitions(courses)
                .window(edited)
                .paging(pages)
                .shape(AnswerShape.envelope("enrollments", "totalItems", "id"))
                .build());
        context.bind("absorbCourseEnrollmentMapper", new AbsorbEnrollmentMapper("course_enrollment"));

        if (settings.flag("absorb.lesson-enrollments")) {
            context.bind("absorbLessonEnrollments", RequestPlan.of(key(), "GET", context.baseUrl(),
                            "/courses/{course}/lessons/{lesson}/enrollments", token)
                    .partitions(new AbsorbLessons(settings.list("absorb.lesson-ids")))
                    .window(edited)
                    .paging(pages)
                    .shape(AnswerShape.envelope("lessonEnrollments", "totalItems", "id"))
                    .build());
            context.bind("absorbLessonEnrollmentMapper", new AbsorbEnrollmentMapper("lesson_enrollment"));
        }
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(
                Demo.Answer.body("/authenticate", null, "\"demo-absorb-token\""),
                Demo.Answer.file("/courses/", "Bearer demo-absorb-token", "demo/absorb/enrollments.json")),
                base -> Map.of("absorb.api-key", "demo-private-key", "absorb.username", "demo-user",
                        "absorb.password", "demo-password", "absorb.course-ids", "demo-course-1"));
    }
}

package io.lmssync.source.absorb;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.AnswerShape;
import io.lmssync.source.Demo;
import io.lmssync.source.FollowedPartitions;
import io.lmssync.source.RecordMapper;
import io.lmssync.source.Paging;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Partitioning;
import io.lmssync.source.WindowPlacement;
import io.lmssync.source.SessionLoginToken;
import io.lmssync.source.Source;
import io.lmssync.source.SourceContext;
import io.lmssync.source.Stream;
import io.lmssync.source.absorb.AbsorbEnrollmentMapper.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Absorb LMS, Integration API v2: enrollments of courses ({@code /courses/<course>/enrollments}), read by
 * {@code dateEdited} in time windows through an OData filter, sorted by {@code dateEdited,id} (a total order), page
 * by page ({@code _limit}, and {@code _offset} a 0-based page index up to 65535) over an envelope; then, for each
 * course enrollment a run delivers new or changed, its lesson, chapter and session enrollments
 * ({@code /users/<user>/enrollments/<course>/lessons}, a bare array), and for each lesson enrollment with attempts
 * its attempts: child streams that cost nothing while their parents do not change. A session login ({@code POST /authenticate}) yields one token
 * for the user, which a new login ends: one per account. Every call carries {@code x-api-key} and
 * {@code x-api-version: 2}.
 */
public final class AbsorbSource implements Source {

    private static final Description DESCRIPTION = new Description("absorb", "Absorb", "absorb", true,
            List.of("absorb.api-key", "absorb.username", "absorb.password"), Set.of("absorb.username"));

    public static final String COURSE_ENROLLMENTS = "absorb-course-enrollments";
    public static final String LESSON_ENROLLMENTS = "absorb-lesson-enrollments";
    public static final String LESSON_ATTEMPTS = "absorb-lesson-attempts";
    public static final String CHAPTER_ENROLLMENTS = "absorb-chapter-enrollments";
    public static final String SESSION_ENROLLMENTS = "absorb-session-enrollments";
    /** Absorb's largest {@code _limit} and {@code _offset}. */
    static final int MAX_PAGE_SIZE = 1000;
    static final int MAX_OFFSET = 65535;

    @Override
    public Description description() {
        return DESCRIPTION;
    }

    /** A child stream's switch, {@code absorb.lesson-enrollments}; its path is {@code absorb.lesson-enrollments-path}. */
    private static String setting(String stream) {
        return "absorb." + stream.substring("absorb-".length());
    }

    /**
     * Course enrollments, read in time windows; then the children of those a run found new or changed, each on its
     * own switch (absorb.<child>), read whole: lesson enrollments (and their attempts), chapter enrollments, session
     * enrollments.
     */
    @Override
    public List<Stream> streams(SourceContext context) {
        Settings settings = context.settings();
        int pageSize = pageSize(settings);
        if (settings.flag(setting(LESSON_ATTEMPTS)) && !settings.flag(setting(LESSON_ENROLLMENTS))) {
            throw new ConfigurationException("absorb.lesson-attempts=true needs absorb.lesson-enrollments=true: "
                    + "attempts are read for the lesson enrollments a run finds new or changed");
        }
        SessionLoginToken token = token(context);
        Paging pages = Paging.pageIndex("_limit", "_offset", pageSize, MAX_OFFSET);
        // a total order: Absorb returns equal sort values in no stable order, and page-index paging over an unstable
        // order skips and repeats records; whether a tenant allows sorting by id is for --check to prove
        WindowPlacement edited = edited(settings.text("absorb.sort"));
        RequestPlan courseEnrollments = RequestPlan.of(key(), "GET", context.baseUrl(),
                        "/courses/{partition}/enrollments", token)
                .partitions(courses(context, token, pages))
                .window(edited)
                .paging(pages)
                .shape(AnswerShape.envelope("enrollments", "totalItems", "id"))
                .keyedBy(List.of("id"))
                .settings("absorb.course-ids", "absorb.sort")
                .build();
        List<Stream> streams = new ArrayList<>();
        streams.add(context.stream("course-enrollments", courseEnrollments, new AbsorbEnrollmentMapper(Kind.COURSE)));
        streams.addAll(children(context, token, courseEnrollments));
        return streams;
    }

    /** absorb.page-size, at most Absorb's largest {@code _limit}. */
    private static int pageSize(Settings settings) {
        int pageSize = settings.positiveInt("absorb.page-size");
        if (pageSize > MAX_PAGE_SIZE) {
            throw new ConfigurationException("absorb.page-size must be at most " + MAX_PAGE_SIZE + " (Absorb's largest"
                    + " _limit), not " + pageSize);
        }
        return pageSize;
    }

    /**
     * The account's session login: the user's credentials and the API key buy a token, and every call, the login's
     * too, carries the key and the API version.
     */
    private static SessionLoginToken token(SourceContext context) {
        Settings settings = context.settings();
        String apiKey = context.credential("absorb.api-key");
        Map<String, String> headers = Map.of("x-api-key", apiKey, "x-api-version", "2");
        return context.token(new SessionLoginToken(URI.create(context.baseUrl() + "/authenticate"),
                Map.of("username", context.credential("absorb.username"),
                        "password", context.credential("absorb.password"), "privateKey", apiKey),
                headers, settings.duration("absorb.token-lifetime"), context.rejected(),
                settings.duration("absorb.token-renew-before"), context.clock(), context.connectTimeout()));
    }

    /** The courses: absorb.course-ids, or every course {@code GET /courses} lists, page by page. */
    private Partitioning courses(SourceContext context, SessionLoginToken token, Paging pages) {
        List<String> configured = context.settings().list("absorb.course-ids");
        Function<LearningRecord, String> course = record -> record.content().sourceContentId();
        return configured.isEmpty()
                ? Partitioning.pathSegment(RequestPlan.of(key(), "GET", context.baseUrl(), "/courses", token)
                        .paging(pages).shape(AnswerShape.envelope("courses", "totalItems", "id"))
                        .settings("absorb.course-ids").build(), course)
                : Partitioning.pathSegment(exchange -> configured, course);
    }

    /**
     * The children of each course enrollment a run delivers new or changed, read whole (a bare array each), and the
     * attempts of each lesson enrollment that has some: those whose switches are on.
     */
    private List<Stream> children(SourceContext context, SessionLoginToken token, RequestPlan courseEnrollments) {
        Stream lessons = child(context, token, LESSON_ENROLLMENTS, COURSE_ENROLLMENTS,
                AbsorbEnrollmentMapper::childrenOf, AbsorbEnrollmentMapper::partitionOf,
                new AbsorbEnrollmentMapper(Kind.LESSON), courseEnrollments, null);
        Stream chapters = child(context, token, CHAPTER_ENROLLMENTS, COURSE_ENROLLMENTS,
                AbsorbEnrollmentMapper::childrenOf, AbsorbEnrollmentMapper::partitionOf,
                new AbsorbEnrollmentMapper(Kind.CHAPTER), courseEnrollments, null);
        Stream sessions = child(context, token, SESSION_ENROLLMENTS, COURSE_ENROLLMENTS,
                AbsorbEnrollmentMapper::childrenOf, AbsorbEnrollmentMapper::partitionOf,
                new AbsorbEnrollmentMapper(Kind.SESSION), courseEnrollments, null);
        Stream attempts = child(context, token, LESSON_ATTEMPTS, LESSON_ENROLLMENTS, AbsorbAttemptMapper::attemptsOf,
                AbsorbAttemptMapper::partitionOf, new AbsorbAttemptMapper(), courseEnrollments,
                lessons == null ? null : lessons.requests());
        return java.util.stream.Stream.of(lessons, attempts, chapters, sessions).filter(java.util.Objects::nonNull)
                .toList();
    }

    /**
     * A child stream, when its setting is on: a partition for each record of the parent stream that {@code handOver}
     * names, read at {@code absorb.<child>-path} (its {@code {userId}}, {@code {courseId}} and {@code {lessonId}}
     * filled from the partition in that order), mapped by {@code mapper}. A 404 is gone only for a parent Absorb says
     * is gone ({@link AbsorbChildGone}, through the course stream's plan and, for attempts, the lesson stream's).
     * Null when the setting is off.
     */
    private Stream child(SourceContext context, SessionLoginToken token, String stream, String parent,
            Function<LearningRecord, String> handOver, Function<LearningRecord, String> partitionOf,
            RecordMapper mapper, RequestPlan courseEnrollments, RequestPlan lessons) {
        Settings settings = context.settings();
        if (!settings.flag(setting(stream))) {
            return null;
        }
        String pathKey = setting(stream) + "-path";
        String path = settings.text(pathKey);
        List<String> segments = new ArrayList<>(List.of("userId", "courseId"));
        if (stream.equals(LESSON_ATTEMPTS)) {
            segments.add("lessonId");
        }
        for (String segment : segments) {
            if (!path.contains("{" + segment + "}")) {
                throw new ConfigurationException(pathKey + " must hold {" + segment + "} (it holds "
                        + segments.stream().map(x -> "{" + x + "}").toList() + " in that order), not '" + path + "'");
            }
        }
        RequestPlan plan = RequestPlan.of(key(), "GET", context.baseUrl(), path, token)
                .partitions(new FollowedPartitions(context.followUps(), segments, partitionOf))
                .shape(AnswerShape.array("id"))
                .keyedBy(mapper.reads().ids())
                // an enrollment deleted since its hand-over answers 404: its children are gone, the stream goes on
                .whenRefused(new AbsorbChildGone(courseEnrollments, lessons, pathKey,
                        setting(LESSON_ENROLLMENTS) + "-path"))
                .settings(pathKey)
                .build();
        return context.stream(stream.substring("absorb-".length()), plan, mapper).whole().follows(parent, handOver);
    }

    /** The window on the records' {@code dateEdited}, in the {@code sort} order. */
    private static WindowPlacement edited(String sort) {
        return WindowPlacement.odataFilter("_filter", "dateEdited", "_sort", sort);
    }

    @Override
    public Demo demo() {
        return new Demo(List.of(
                Demo.Answer.body("/authenticate", null, "\"demo-absorb-token\""),
                Demo.Answer.file("/courses/", "Bearer demo-absorb-token", "demo/absorb/enrollments.json")
                        .windowed(edited("dateEdited,id")).paged(new Demo.Paged("_limit", "_offset", true, "enrollments")),
                // the first learner's lessons, chapters, sessions and a lesson's attempts; the others have none
                Demo.Answer.file("/users/ab-u-1/", "Bearer demo-absorb-token", "demo/absorb/*.json"),
                Demo.Answer.body("/users/", "Bearer demo-absorb-token", "[]")),
                base -> Map.of("absorb.api-key", "demo-private-key", "absorb.username", "demo-user",
                        "absorb.password", "demo-password", "absorb.course-ids", "demo-course-1",
                        "absorb.lesson-enrollments", "true", "absorb.lesson-attempts", "true",
                        "absorb.chapter-enrollments", "true",
                        "absorb.session-enrollments", "true"));
    }

    @Override
    public Map<String, String> retiredSettings() {
        return Map.of("absorb.lesson-ids", "lesson enrollments follow the course enrollments a run finds new or "
                + "changed (absorb.lesson-enrollments=true), with no ids to list");
    }
}

package io.lmssync.source.absorb;

import io.lmssync.sync.Partitions;
import io.lmssync.sync.SyncRun;
import io.lmssync.source.Answer;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What an Absorb stream reads the enrollments of: for course enrollments {@code absorb.course-ids}, or, when empty,
 * every course Absorb lists; for lesson enrollments {@code absorb.lesson-ids} ({@code courseId/lessonId} each).
 */
public final class AbsorbCourses {

    /** The course (or lesson) ids of the run, on the exchange. */
    public static final String PROPERTY = "lmsAbsorbTargets";

    private final List<String> configured;
    private final List<String> lessons;

    public AbsorbCourses(List<String> configured, List<String> lessons) {
        this.configured = List.copyOf(configured);
        this.lessons = List.copyOf(lessons);
    }

    /** Starts the run's course list from the configured ids. */
    public void begin(Exchange exchange) {
        exchange.setProperty(PROPERTY, new ArrayList<>(configured));
    }

    /** The run's lessons; each is a partition of the run (a reconciliation deletes only their records). */
    public void lessons(Exchange exchange) {
        exchange.setProperty(PROPERTY, new ArrayList<>(lessons));
        run(exchange).partitions(new Partitions(lessons.stream().map(l -> l.substring(l.indexOf('/') + 1)).toList(),
                record -> record.content().sourceContentId()));
    }

    /** The run's courses are known: each is a partition of the run (a reconciliation deletes only their records). */
    public void coursesRead(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> courses = exchange.getProperty(PROPERTY, List.class);
        run(exchange).partitions(new Partitions(courses, record -> record.content().sourceContentId()));
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    /** Whether the courses must be found through GET /courses. */
    public boolean discover() {
        return configured.isEmpty();
    }

    /** Adds the ids of a page of GET /courses. */
    public void collect(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> ids = exchange.getProperty(PROPERTY, List.class);
        ids.addAll(exchange.getProperty(Answer.PROPERTY, Answer.class).ids());
    }
}

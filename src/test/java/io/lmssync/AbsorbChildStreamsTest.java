package io.lmssync;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.lmssync.sync.RunOnce;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Absorb's child streams end to end (the real service against a simulated Absorb that serves the child paths, into a
 * real H2): lesson, chapter and session enrollments follow the course enrollments a run delivers new or changed, and
 * attempts follow lesson enrollments that have some; each arrives once, joined to its parents by ids, and a parent
 * that did not change costs its children no request.
 */
class AbsorbChildStreamsTest {

    private final AbsorbSimulator absorb = new AbsorbSimulator();

    @RegisterExtension
    final WireMockExtension wiremock = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(absorb)).build();

    @TempDir
    Path dir;

    private TestService service;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() throws Exception {
        wiremock.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        absorb.lessonsPerEnrollment = 2;
        absorb.chaptersPerEnrollment = 1;
        absorb.sessionsPerEnrollment = 1;
        absorb.attemptsPerLesson = 2;
        service = AbsorbSimulator.readBy(database(new TestService(dir)), wiremock.baseUrl(), now)
                .with("absorb.page-size", "1000")
                .with("sync.chunk-size", "500")
                .with("absorb.requests-per-minute", "1000").with("absorb.rate-period-ms", "1000")
                .with("absorb.lesson-enrollments", "true")
                .with("absorb.lesson-attempts", "true")
                .with("absorb.chapter-enrollments", "true")
                .with("absorb.session-enrollments", "true");
    }

    /** Where the sync state and the jdbc sink live: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    @Test
    void threeCoursesOf200EnrollmentsBringTheirChildrenOnceJoinedByIdsAndAnUnchangedRunAsksForNoChild()
            throws Exception {
        for (String course : List.of("c1", "c2", "c3")) {
            absorb.enroll(course, 200, now.minus(1, ChronoUnit.DAYS));
        }
        service.with("absorb.course-ids", "c1,c2,c3");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(types()).containsExactly("chapter_enrollment=600", "course_enrollment=600", "lesson_attempt=2400",
                "lesson_enrollment=1200", "session_enrollment=600");
        // each child request once: 600 course enrollments x 3 kinds, 1,200 lesson enrollments with attempts
        assertThat(absorb.childRequests.get()).isEqualTo(600 * 3 + 1200);
        for (String stream : List.of("absorb-lesson-enrollments", "absorb-lesson-attempts",
                "absorb-chapter-enrollments", "absorb-session-enrollments")) {
            Map<String, Object> run = service.query("SELECT status, fetched, inserted FROM sync_run WHERE stream = '"
                    + stream + "'").get(0);
            assertThat(run.get("status")).as(stream).isEqualTo("succeeded");
            assertThat(run.get("fetched")).as(stream + ": fetched once, inserted once").isEqualTo(run.get("inserted"));
        }
        // the rows join their parents by ids, without raw
        assertThat(service.count("SELECT COUNT(*) FROM learning_record l JOIN learning_record c "
                + "ON c.record_type = 'course_enrollment' AND c.source_record_id = l.parent_course_enrollment_id "
                + "AND c.content_source_id = l.parent_course_id AND c.learner_source_user_id = l.learner_source_user_id "
                + "WHERE l.record_type IN ('lesson_enrollment', 'chapter_enrollment', 'session_enrollment')"))
                .isEqualTo(1200 + 600 + 600);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record a JOIN learning_record l "
                + "ON l.record_type = 'lesson_enrollment' AND l.source_record_id = a.parent_lesson_enrollment_id "
                + "AND l.content_source_id = a.parent_lesson_id AND l.parent_course_id = a.parent_course_id "
                + "AND l.parent_course_enrollment_id = a.parent_course_enrollment_id "
                + "WHERE a.record_type = 'lesson_attempt'")).isEqualTo(2400);
        // what a warehouse needs of a lesson: its own type, attempts, failures, last attempt, chapter
        Map<String, Object> lesson = service.query("SELECT content_type, parent_chapter_id, details FROM "
                + "learning_record WHERE record_id = 'absorb:lesson_enrollment:c2-e7-l1'").get(0);
        assertThat(lesson).containsEntry("content_type", "ObjectLesson").containsEntry("parent_chapter_id", "Ch1");
        com.fasterxml.jackson.databind.JsonNode details = io.lmssync.record.Json.MAPPER.readTree(
                (String) lesson.get("details"));
        assertThat(details.path("attempts").asInt()).isEqualTo(2);
        assertThat(details.path("failures").isInt()).isTrue();
        assertThat(details.path("last_attempt_at").asText()).endsWith("Z");

        // nothing changed: the course enrollments come back unchanged, and no child is asked for
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(absorb.childRequests.get()).isEqualTo(600 * 3 + 1200);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(600 + 1200 + 600 + 600 + 2400);

        // one course enrollment changes: its three kinds of children and its two lessons' attempts are read again
        AbsorbSimulator.Enrollment changed = absorb.enrollments.stream().filter(e -> e.id().equals("c3-e5"))
                .findFirst().orElseThrow();
        absorb.enrollments.remove(changed);
        absorb.enrollments.add(new AbsorbSimulator.Enrollment(changed.id(), changed.courseId(), changed.userId(), 3,
                Instant.now().minusSeconds(5)));
        int before = absorb.childRequests.get();
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(absorb.childRequests.get() - before).isEqualTo(3 + 2);
        assertThat(service.query("SELECT status FROM learning_record WHERE record_id = "
                + "'absorb:lesson_enrollment:c3-e5-l0'").get(0)).containsEntry("status", "completed");
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(600 + 1200 + 600 + 600 + 2400);
    }

    @Test
    void aReconciliationReadsEveryCourseEnrollmentsChildrenAndDeletesOnlyWhatWentWithinThem() throws Exception {
        absorb.enroll("c1", 20, now.minus(1, ChronoUnit.DAYS));
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        int before = absorb.childRequests.get();
        // a lesson is taken out of one course enrollment: only a full read of its children can tell
        absorb.lessonRemoved.add("c1-e4");

        assertThat(service.reconcileOnce()).isEqualTo(RunOnce.OK);

        assertThat(absorb.childRequests.get() - before).as("every course enrollment's children, and attempts")
                .isEqualTo(20 * 3 + 20 * 2 - 1);
        assertThat(service.query("SELECT record_id FROM learning_record WHERE is_deleted ORDER BY record_id"))
                .extracting(r -> r.get("record_id")).containsExactly("absorb:lesson_enrollment:c1-e4-l1");
        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE NOT is_deleted")).isEqualTo(
                20 + 40 - 1 + 20 + 20 + 80);
    }

    @Test
    void aChildStreamSwitchedOnLaterReadsTheChildrenOfExistingEnrollmentsAtTheNextReconciliation() throws Exception {
        absorb.enroll("c1", 10, now.minus(1, ChronoUnit.DAYS));
        service.with("absorb.lesson-enrollments", "false").with("absorb.lesson-attempts", "false")
                .with("absorb.chapter-enrollments", "false").with("absorb.session-enrollments", "false");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        service.with("absorb.lesson-enrollments", "true");

        // nothing changed: a sync has no enrollment to follow
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(types()).containsExactly("course_enrollment=10");

        // a reconciliation reads every enrollment, and hands each over
        assertThat(service.reconcileOnce()).isEqualTo(RunOnce.OK);
        assertThat(types()).containsExactly("course_enrollment=10", "lesson_enrollment=20");
    }

    @Test
    void anEnrollmentGoneBeforeItsChildrenAreReadAnswers404AndTheStreamGoesOnWithoutIt() throws Exception {
        absorb.enroll("c1", 30, now.minus(1, ChronoUnit.DAYS));
        service.with("absorb.lesson-attempts", "false").with("absorb.chapter-enrollments", "false")
                .with("absorb.session-enrollments", "false");
        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(types()).containsExactly("course_enrollment=30", "lesson_enrollment=60");

        // two enrollments change, and one of them is deleted at Absorb before its lessons are asked for
        for (String id : List.of("c1-e3", "c1-e7")) {
            AbsorbSimulator.Enrollment e = absorb.enrollments.stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow();
            absorb.enrollments.remove(e);
            absorb.enrollments.add(new AbsorbSimulator.Enrollment(e.id(), e.courseId(), e.userId(), 3,
                    Instant.now().minusSeconds(5)));
        }
        absorb.childrenGone.add("c1-e3");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT stream, status FROM sync_run WHERE stream = 'absorb-lesson-enrollments' "
                + "ORDER BY id DESC FETCH FIRST 1 ROW ONLY").get(0)).containsEntry("status", "succeeded");
        assertThat(service.query("SELECT record_id FROM learning_record WHERE is_deleted ORDER BY record_id"))
                .extracting(r -> r.get("record_id")).as("the gone enrollment's lessons, read as none")
                .containsExactly("absorb:lesson_enrollment:c1-e3-l0", "absorb:lesson_enrollment:c1-e3-l1");
        assertThat(service.query("SELECT status FROM learning_record WHERE record_id = "
                + "'absorb:lesson_enrollment:c1-e7-l0'").get(0)).as("the other changed enrollment's lessons arrive")
                .containsEntry("status", "completed");
    }

    private List<String> types() throws Exception {
        return service.query("SELECT record_type, COUNT(*) AS n FROM learning_record GROUP BY record_type "
                + "ORDER BY record_type").stream().map(r -> r.get("record_type") + "=" + r.get("n")).toList();
    }
}

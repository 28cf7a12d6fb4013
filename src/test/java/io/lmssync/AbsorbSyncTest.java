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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Absorb end to end: the real service against a simulated Absorb with true page-index paging, into a real H2. */
class AbsorbSyncTest {

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
        service = AbsorbSimulator.readBy(database(new TestService(dir)), wiremock.baseUrl(), now)
                .with("absorb.page-size", "1000")
                .with("sync.chunk-size", "500");
    }

    /** Where the sync state and the jdbc sink live: H2 here. */
    TestService database(TestService service) throws Exception {
        return service;
    }

    @Test
    void aCourseOf2500EnrollmentsArrivesCompleteAndOnceThroughPageIndexPaging() throws Exception {
        absorb.enroll("c1", 2500, now.minus(1, ChronoUnit.DAYS));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record WHERE record_type = 'course_enrollment'"))
                .isEqualTo(2500);
        assertThat(service.lastRun()).containsEntry("status", "succeeded").containsEntry("fetched", 2500L)
                .containsEntry("inserted", 2500L);
        assertThat(absorb.authentications.get()).as("one token for the whole run").isEqualTo(1);
        assertThat(service.count("SELECT COUNT(*) FROM sync_window WHERE status = 'done'")).isEqualTo(2);

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2500);
    }

    @Test
    void aLongScanKeepsOneAnswerFileAtATime() throws Exception {
        absorb.enroll("c1", 2500, now.minus(1, ChronoUnit.DAYS));
        service.with("absorb.page-size", "100");
        java.util.List<Long> filesSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int page = 2; page <= 27; page++) {
            absorb.beforePage.put(page, () -> {
                try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir.resolve("work"))) {
                    filesSeen.add(files.filter(p -> p.toString().endsWith(".json")).count());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(2500);
        assertThat(filesSeen).hasSizeGreaterThan(20).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1L));
    }

    @Test
    void halfOfEachCourseEditedInOneBulkEditArrivesCompleteAndOnceThroughPagesOf200() throws Exception {
        Instant bulkEdit = now.minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (String course : java.util.List.of("c1", "c2", "c3")) {
            absorb.enroll(course, 600, now.minus(1, ChronoUnit.DAYS));
            for (int i = 0; i < 600; i++) {
                absorb.enrollments.add(new AbsorbSimulator.Enrollment(course + "-bulk" + i, course, "b" + i, 1,
                        bulkEdit));
            }
        }
        service.with("absorb.course-ids", "c1,c2,c3").with("absorb.page-size", "200");

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.lastRun()).containsEntry("fetched", 3600L).containsEntry("inserted", 3600L)
                .containsEntry("unchanged", 0L);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(3600);
    }

    @Test
    void withNoCourseIdsEveryListedCourseIsRead() throws Exception {
        service.with("absorb.course-ids", "").with("absorb.page-size", "2");
        for (String c : new String[] {"c1", "c2", "c3"}) {
            absorb.courses.add(c);
            absorb.enroll(c, 3, now.minus(2, ChronoUnit.DAYS));
        }

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.query("SELECT content_source_id, COUNT(*) AS n FROM learning_record "
                + "GROUP BY content_source_id ORDER BY content_source_id")).extracting(r -> r.get("content_source_id")
                        + "=" + r.get("n")).containsExactly("c1=3", "c2=3", "c3=3");
    }

    @Test
    void aTokenThatStopsWorkingWhileCoursesAreListedIsRenewedOnceAndNoCourseIsMissed() throws Exception {
        service.with("absorb.course-ids", "").with("absorb.page-size", "2");
        for (String c : new String[] {"c1", "c2", "c3", "c4", "c5"}) {
            absorb.courses.add(c);
            absorb.enroll(c, 1, now.minus(2, ChronoUnit.DAYS));
        }
        // the listing's second page meets a token that no longer works: the same page is asked again, once
        absorb.expireTokenAfterPages = 1;

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(absorb.authentications.get()).isEqualTo(2);
        assertThat(service.query("SELECT content_source_id FROM learning_record ORDER BY content_source_id"))
                .extracting(r -> r.get("content_source_id")).containsExactly("c1", "c2", "c3", "c4", "c5");
    }

    @Test
    void lessonIdsOfTheOldLessonStreamFailAtStartUpSayingWhatReplacedThem() {
        service.with("absorb.lesson-enrollments", "true").with("absorb.lesson-ids", "c1/l7");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.runOnce())
                .hasStackTraceContaining("absorb.lesson-ids is no longer read");
    }

    @Test
    void attemptsWithoutLessonsAndAChildPathWithoutItsSegmentsFailAtStartUpNamingTheKey() {
        service.with("absorb.lesson-attempts", "true");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.runOnce())
                .hasStackTraceContaining("absorb.lesson-attempts=true needs absorb.lesson-enrollments=true");
        service.with("absorb.lesson-attempts", "false").with("absorb.session-enrollments", "true")
                .with("absorb.session-enrollments-path", "/enrollments/{courseId}/sessions");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.runOnce())
                .hasStackTraceContaining("absorb.session-enrollments-path must hold {userId}");
    }

    @Test
    void bareArrayAnswersArePagedTheSameWay() throws Exception {
        absorb.bareArrays = true;
        service.with("absorb.page-size", "7");
        absorb.enroll("c1", 30, now.minus(1, ChronoUnit.DAYS));

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(30);
    }

    @Test
    void aTokenThatStopsWorkingIsRenewedOnceAndTheRunGoesOn() throws Exception {
        service.with("absorb.page-size", "100");
        absorb.enroll("c1", 450, now.minus(1, ChronoUnit.DAYS));
        absorb.expireTokenAfterPages = 2;

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(absorb.authentications.get()).isEqualTo(2);
        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(450);
    }

    @Test
    void aRepeatedPageStopsTheStreamWithItsNameAndMovesNoCursor() throws Exception {
        service.with("absorb.page-size", "10").with("absorb.start-date", now.minus(10, ChronoUnit.DAYS).toString());
        absorb.enroll("c1", 50, now.minus(1, ChronoUnit.DAYS));
        absorb.repeatFirstPage = true;

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat((String) service.lastRun().get("error"))
                .isEqualTo("/courses/c1/enrollments: page 1 repeats page 0 (the same 10 ids); stopping rather than loop");
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();
    }

    @Test
    void totalItemsChangingOnceMidScanIsRescannedAndEveryRecordArrivesOnce() throws Exception {
        service.with("absorb.page-size", "10");
        absorb.enroll("c1", 50, now.minus(1, ChronoUnit.DAYS));
        absorb.driftFromPage = 2;
        absorb.driftPages = 1;

        assertThat(service.runOnce()).isEqualTo(RunOnce.OK);

        assertThat(service.count("SELECT COUNT(*) FROM learning_record")).isEqualTo(50);
        assertThat(service.lastRun()).containsEntry("inserted", 50L).containsEntry("updated", 0L);
    }

    @Test
    void totalItemsChangingMidScanRescansOnceAndStopsWithItsNameTheSecondTime() throws Exception {
        service.with("absorb.page-size", "10").with("absorb.start-date", now.minus(10, ChronoUnit.DAYS).toString());
        absorb.enroll("c1", 50, now.minus(1, ChronoUnit.DAYS));
        absorb.driftFromPage = 2;

        assertThat(service.runOnce()).isEqualTo(RunOnce.STREAM_FAILED);

        assertThat((String) service.lastRun().get("error")).startsWith(
                "/courses/c1/enrollments: the total changed again mid-scan");
        assertThat(service.count("SELECT COUNT(*) FROM sync_cursor")).isZero();
    }
}

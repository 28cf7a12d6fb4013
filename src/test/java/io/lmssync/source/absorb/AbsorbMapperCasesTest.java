package io.lmssync.source.absorb;

import static io.lmssync.source.MapperCases.assertCase;
import static io.lmssync.source.MapperCases.run;

import io.lmssync.source.absorb.AbsorbEnrollmentMapper.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Absorb's mappers as pure functions, without Camel: the demo's answers (a tenant's shape) and ugly objects in, the
 * expected records and rejections out (sources/absorb/*.expected.json). An attempt names only itself: its learner,
 * lesson and parents come from the partition it was read under, and one read under none is rejected by name.
 */
class AbsorbMapperCasesTest {

    private static final String COURSE_ENROLLMENT = "ab-u-1/demo-course-1/ab-e-1";
    private static final String LESSON_ENROLLMENT = "ab-u-1/demo-course-1/ab-l-1/ab-le-1/ab-e-1";

    @ParameterizedTest(name = "{0} read under {1}: {2}")
    @CsvSource(nullValues = "none", value = {
        "COURSE, none, demo/absorb/enrollments.json#enrollments, sources/absorb/enrollments.expected.json",
        "COURSE, none, sources/absorb/enrollments-ugly.json, sources/absorb/enrollments-ugly.expected.json",
        "LESSON, " + COURSE_ENROLLMENT + ", demo/absorb/lessons.json, sources/absorb/lessons.expected.json",
        "CHAPTER, " + COURSE_ENROLLMENT + ", demo/absorb/chapters.json, sources/absorb/chapters.expected.json",
        "SESSION, " + COURSE_ENROLLMENT + ", demo/absorb/sessions.json, sources/absorb/sessions.expected.json",
        "LESSON, none, demo/absorb/lessons.json, sources/absorb/lessons-unread.expected.json"})
    void enrollments(Kind kind, String partition, String objects, String expected) throws Exception {
        assertCase(new AbsorbEnrollmentMapper(kind), run("absorb", "absorb-enrollments", "rest.myabsorb.com"),
                partition, objects, expected);
    }

    @ParameterizedTest(name = "attempts read under {0}: {1}")
    @CsvSource(nullValues = "none", value = {
        LESSON_ENROLLMENT + ", demo/absorb/attempts.json, sources/absorb/attempts.expected.json",
        LESSON_ENROLLMENT + ", sources/absorb/attempts-ugly.json, sources/absorb/attempts-ugly.expected.json",
        "none, demo/absorb/attempts.json, sources/absorb/attempts-unread.expected.json"})
    void attempts(String partition, String objects, String expected) throws Exception {
        assertCase(new AbsorbAttemptMapper(), run("absorb", "absorb-lesson-attempts", "rest.myabsorb.com"), partition,
                objects, expected);
    }
}

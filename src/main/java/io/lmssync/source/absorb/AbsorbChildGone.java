package io.lmssync.source.absorb;

import io.lmssync.source.Answer;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.RequestPlan.SourceRefusedException;
import io.lmssync.source.SourceRequest;
import io.lmssync.source.Uri;
import io.lmssync.source.WhenRefused;
import java.util.List;

/**
 * What a 404 for the children of an Absorb enrollment means: gone only when Absorb says the parent is gone. The
 * children of an enrollment deleted since its hand-over answer 404, and so does every request when the child path
 * ({@code absorb.<child>-path}, our reading of Absorb's pages) is wrong. So a 404 asks Absorb, through paths that are
 * proven otherwise, whether the parent is still there: for lesson, chapter and session enrollments the course
 * enrollment ({@code GET /courses/{courseId}/enrollments?_filter=id eq guid'...'}, the course stream's own path); for
 * attempts the learner's lesson enrollments of the course (the lesson stream's path), then the course enrollment. The
 * parent gone: no records, and the stream goes on. The parent there: the stream fails, naming the path setting.
 */
final class AbsorbChildGone implements WhenRefused {

    private final RequestPlan courseEnrollments;
    private final RequestPlan lessonEnrollments;
    private final String pathKey;
    private final String lessonPathKey;

    /**
     * @param courseEnrollments the course stream's plan, whose path finds a course enrollment by id
     * @param lessonEnrollments for attempts, the lesson stream's plan (its path, its key); null for the others
     * @param pathKey           the child path's setting, named when the parent is there
     * @param lessonPathKey     for attempts, the lesson path's setting
     */
    AbsorbChildGone(RequestPlan courseEnrollments, RequestPlan lessonEnrollments, String pathKey,
            String lessonPathKey) {
        this.courseEnrollments = courseEnrollments;
        this.lessonEnrollments = lessonEnrollments;
        this.pathKey = pathKey;
        this.lessonPathKey = lessonPathKey;
    }

    @Override
    public Reaction react(Answer refused, List<String> batch) {
        if (refused.status() != 404) {
            return new Fail();
        }
        // userId/courseId/courseEnrollmentId, or for attempts userId/courseId/lessonId/lessonEnrollmentId/courseEnrollmentId
        String[] ids = batch.get(0).split("/", -1);
        String courseEnrollment = ids[ids.length - 1];
        Probe course = courseProbe(ids[1], courseEnrollment, lessonEnrollments == null ? pathKey : lessonPathKey);
        return lessonEnrollments == null ? course : lessonProbe(ids, course);
    }

    /** Is the course enrollment there? Gone when Absorb finds no enrollment with its id in the course. */
    private Probe courseProbe(String courseId, String courseEnrollment, String wrongPath) {
        SourceRequest request = courseEnrollments.request(new Uri(courseEnrollments.path())
                .segment("partition", courseId).param("_filter", "id eq guid'" + courseEnrollment + "'")
                .param("_limit", "1"));
        return probe(request, answer -> {
            if (!answer.ok()) {
                throw new SourceRefusedException("Absorb answered 404 for a child of course enrollment "
                        + courseEnrollment + ", and HTTP " + answer.status() + " when asked whether it is there ("
                        + request + ": " + answer.refusal() + ")");
            }
            if (answer.records() == 0) {
                return new Gone();
            }
            throw new SourceRefusedException("Absorb answered 404 for the children of course enrollment "
                    + courseEnrollment + ", which is there (" + request + " found it): the path is wrong; check "
                    + wrongPath + " against your tenant's OpenAPI file");
        });
    }

    /** For attempts: is the lesson enrollment among the learner's lesson enrollments of the course? */
    private Probe lessonProbe(String[] ids, Probe course) {
        SourceRequest request = lessonEnrollments.request(new Uri(lessonEnrollments.path()).segment("userId", ids[0])
                .segment("courseId", ids[1]));
        String lessonEnrollment = ids[3];
        return probe(request, answer -> {
            if (answer.status() == 404) {
                return course;
            }
            if (!answer.ok()) {
                throw new SourceRefusedException("Absorb answered 404 for the attempts of lesson enrollment "
                        + lessonEnrollment + ", and HTTP " + answer.status() + " for its course's lesson enrollments ("
                        + request + ": " + answer.refusal() + ")");
            }
            if (answer.ids() == null || !answer.ids().contains(lessonEnrollment)) {
                return new Gone();
            }
            throw new SourceRefusedException("Absorb answered 404 for the attempts of lesson enrollment "
                    + lessonEnrollment + ", which is there (" + request + " lists it): the path is wrong; check "
                    + pathKey + " against your tenant's OpenAPI file");
        });
    }

    private static Probe probe(SourceRequest request, java.util.function.Function<Answer, Reaction> judge) {
        return new Probe() {
            @Override
            public SourceRequest request() {
                return request;
            }

            @Override
            public Reaction judge(Answer answer) {
                return judge.apply(answer);
            }
        };
    }
}

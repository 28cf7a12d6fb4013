package io.lmssync.source.absorb;

import io.lmssync.ConfigurationException;
import io.lmssync.source.RequestPlan.Partitioning;
import io.lmssync.source.RequestPlan.Uri;
import io.lmssync.sync.Partitions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The lessons an Absorb lesson-enrollment stream reads ({@code absorb.lesson-ids}, {@code courseId/lessonId} each):
 * a lesson is a partition (a reconciliation deletes only records of the lessons it read), and its request names its
 * course too: {@code /courses/{course}/lessons/{lesson}/enrollments}. Absorb's own quirk, so a part of its package.
 */
final class AbsorbLessons implements Partitioning {

    /** Each lesson's course, by lesson id, in the order configured. */
    private final Map<String, String> courseOfLesson = new LinkedHashMap<>();

    AbsorbLessons(List<String> lessonIds) {
        if (lessonIds.isEmpty() || lessonIds.stream().anyMatch(l -> !l.matches("[^/]+/[^/]+"))) {
            throw new ConfigurationException("absorb.lesson-ids must name the lessons to read as courseId/lessonId"
                    + " (comma-separated) when absorb.lesson-enrollments=true, not '" + String.join(",", lessonIds)
                    + "'");
        }
        lessonIds.forEach(l -> courseOfLesson.put(l.substring(l.indexOf('/') + 1), l.substring(0, l.indexOf('/'))));
    }

    @Override
    public Partitions read(Exchange exchange) {
        return new Partitions(List.copyOf(courseOfLesson.keySet()), record -> record.content().sourceContentId());
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public void place(Uri uri, List<String> batch) {
        uri.segment("course", courseOfLesson.get(batch.get(0)));
        uri.segment("lesson", batch.get(0));
    }
}

package io.lmssync.record;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The source's records a child record belongs to, by their source ids: a lesson enrollment's course and course
 * enrollment, an attempt's lesson and lesson enrollment. With them, child rows join their parents without reading
 * {@code raw}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Parent(String courseId, String courseEnrollmentId, String chapterId, String lessonId,
        String lessonEnrollmentId) {

    @JsonIgnore
    public boolean isEmpty() {
        return Stream.of(courseId, courseEnrollmentId, chapterId, lessonId, lessonEnrollmentId)
                .allMatch(Objects::isNull);
    }
}

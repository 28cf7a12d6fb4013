package io.lmssync.record;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a warehouse keeps of an enrollment beyond the common fields: the credits it earns, the certificate it
 * awarded, the collection it came through, and how many attempts (and failed ones) it took, the last when.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Details(Double credits, String certificateId, String collectionId, Integer attempts, Integer failures,
        String lastAttemptAt) {

    @JsonIgnore
    public boolean isEmpty() {
        return Stream.of(credits, certificateId, collectionId, attempts, failures, lastAttemptAt)
                .allMatch(Objects::isNull);
    }
}

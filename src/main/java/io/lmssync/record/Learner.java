package io.lmssync.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Who the learning record is about, as far as the vendor tells (null where unknown). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Learner(String sourceUserId, String email, String username, String fullName, String firstName,
        String lastName, String externalId) {

    public static final Learner UNKNOWN = new Learner(null, null, null, null, null, null, null);
}

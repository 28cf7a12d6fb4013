package io.lmssync.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What was learned: the vendor's course, assessment, track or workshop. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Content(String sourceContentId, String title, String type, String versionId) {

    public static final Content UNKNOWN = new Content(null, null, null, null);
}

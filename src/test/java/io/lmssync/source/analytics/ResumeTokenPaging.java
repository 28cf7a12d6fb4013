package io.lmssync.source.analytics;

import io.lmssync.source.Answer;
import io.lmssync.source.TokenPaging;
import io.lmssync.source.Uri;

/**
 * The content activity's paging, a style of its own: each answer's {@code next_cursor} is sent back as {@code cursor},
 * and the last page says {@code "has_more": false} while it may still carry a cursor (which leads to an empty page).
 */
final class ResumeTokenPaging extends TokenPaging {

    @Override
    protected String token(Answer answer) {
        return "false".equals(answer.field("has_more")) ? null : answer.field("next_cursor");
    }

    @Override
    protected void place(Uri uri, String cursor) {
        uri.param("cursor", cursor);
    }

    @Override
    protected String describe() {
        return "the \"next_cursor\" token";
    }
}

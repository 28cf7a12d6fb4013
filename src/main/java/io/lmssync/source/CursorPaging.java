package io.lmssync.source;

/**
 * Paging by a cursor token in the answer's envelope ({@code "cursor": "abc"}, null or absent on the last page), sent
 * back as a query parameter of the next request ({@code ?cursor=abc}).
 */
public final class CursorPaging extends TokenPaging {

    private final String field;
    private final String param;

    /** The envelope field that holds the cursor, and the parameter that sends it back. */
    public CursorPaging(String field, String param) {
        this.field = field;
        this.param = param;
    }

    @Override
    protected String token(Answer answer) {
        return answer.field(field);
    }

    @Override
    protected void place(Uri uri, String cursor) {
        uri.param(param, cursor);
    }

    @Override
    protected String describe() {
        return "the \"" + field + "\" cursor";
    }
}

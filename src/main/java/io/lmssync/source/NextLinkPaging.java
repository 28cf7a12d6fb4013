package io.lmssync.source;

/**
 * Paging by the next page's URL in the answer's envelope ({@code "next": "https://.../?page=2"}, null on the last
 * page), as Django REST Framework answers: followed only on the base URL's scheme and host ({@link Uri#on}).
 */
public final class NextLinkPaging extends TokenPaging {

    private final String field;

    /** The envelope field that holds the next page's URL: {@code next}. */
    public NextLinkPaging(String field) {
        this.field = field;
    }

    @Override
    protected String token(Answer answer) {
        return answer.field(field);
    }

    @Override
    protected void place(Uri uri, String link) {
        uri.follow(link);
    }

    @Override
    protected String describe() {
        return "the \"" + field + "\" link";
    }
}

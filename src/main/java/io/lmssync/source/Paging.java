package io.lmssync.source;

/**
 * How an answer is paged (the paginator): not at all, by a page size and an offset that counts pages (Absorb's
 * {@code _offset} is a 0-based page index) or records ({@link OffsetPaging}), or by a token each answer gives for the
 * next page ({@link TokenPaging}: a next link, a cursor, a {@code Link} header). A source's own style is a class in
 * its package that implements this interface or extends {@link TokenPaging}. Each scan of a request set pages with
 * a {@link Pages} of its own, which holds where the scan is and sees every answer whole.
 */
public interface Paging {

    /** The pages of one scan ({@code what} names it in errors: the path with its partition). */
    Pages start(String what);

    /** The pages a scan reads, one after the other: the paginator's state, and its protocol. */
    interface Pages {

        /** The next page's parameters on the request. */
        void place(Uri uri);

        /**
         * The answer to the page just asked for: whether its records are to be delivered (false when the guards
         * discard it, as when a rescan starts over). Throws {@link PagingException} rather than loop or skip.
         */
        boolean read(Answer answer);

        /** Whether another page is to be asked for. */
        boolean more();
    }

    /** One request, one answer. */
    static Paging none() {
        return what -> new Pages() {
            private boolean more = true;

            @Override
            public void place(Uri uri) {
            }

            @Override
            public boolean read(Answer answer) {
                more = false;
                return true;
            }

            @Override
            public boolean more() {
                return more;
            }
        };
    }

    /** Pages of {@code size} records, the offset a 0-based page index: {@code _limit=500&_offset=3}. */
    static OffsetPaging pageIndex(String limitParam, String offsetParam, int size, int maxOffset) {
        return new OffsetPaging(limitParam, offsetParam, size, maxOffset, false);
    }

    /** Pages of {@code size} records, the offset a count of records: {@code limit=500&offset=1500}. */
    static OffsetPaging recordOffset(String limitParam, String offsetParam, int size, int maxOffset) {
        return new OffsetPaging(limitParam, offsetParam, size, maxOffset, true);
    }

    /** The next page's URL in the envelope's {@code field} ({@code "next"}), null on the last page. */
    static NextLinkPaging nextLink(String field) {
        return new NextLinkPaging(field);
    }

    /** A cursor in the envelope's {@code field}, sent back as the parameter {@code param}; none on the last page. */
    static CursorPaging cursor(String field, String param) {
        return new CursorPaging(field, param);
    }

    /** The RFC 8288 {@code Link} header's {@code rel="next"} target; none on the last page. */
    static LinkHeaderPaging linkHeader() {
        return new LinkHeaderPaging();
    }

    /** Paging's guard stopped a scan that would loop or skip records. */
    final class PagingException extends RuntimeException {
        public PagingException(String message) {
            super(message);
        }
    }
}

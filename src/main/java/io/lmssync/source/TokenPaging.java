package io.lmssync.source;

import java.util.HashSet;
import java.util.Set;

/**
 * Paging by a token each answer gives for the next page (a next link, a cursor): the first page is asked without
 * one, and the scan ends on an answer that gives none. A scan stops with a named error rather than loop when a token
 * comes back that it already followed. A source's own style is a subclass in its package: where the answer gives the
 * token ({@link #token}) and how the next request carries it ({@link #place(Uri, String)}).
 */
public abstract class TokenPaging implements Paging {

    /** The next page's token in the answer (its envelope's fields, its headers), or null or blank for none. */
    protected abstract String token(Answer answer);

    /** Puts the token on the next page's request. */
    protected abstract void place(Uri uri, String token);

    /** What the token is, for errors: {@code the "next" link}. */
    protected abstract String describe();

    @Override
    public Pages start(String what) {
        return new Pages() {
            private final Set<String> followed = new HashSet<>();
            private String token;
            private boolean more = true;

            @Override
            public void place(Uri uri) {
                if (token != null) {
                    TokenPaging.this.place(uri, token);
                }
            }

            @Override
            public boolean read(Answer answer) {
                String next = token(answer);
                more = next != null && !next.isBlank();
                if (more && !followed.add(next)) {
                    throw new PagingException(what + ": " + describe() + " " + next + " was followed before;"
                            + " stopping rather than loop");
                }
                token = next;
                return true;
            }

            @Override
            public boolean more() {
                return more;
            }
        };
    }
}

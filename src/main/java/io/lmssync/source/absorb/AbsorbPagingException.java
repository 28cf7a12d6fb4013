package io.lmssync.source.absorb;

/** Absorb's paging went wrong in a way that would loop or skip records; the stream stops instead. */
public final class AbsorbPagingException extends RuntimeException {

    public AbsorbPagingException(String message) {
        super(message);
    }
}

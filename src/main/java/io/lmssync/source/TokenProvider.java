package io.lmssync.source;

/** A vendor token that can go stale: the error handler drops it after a 401 so the next call fetches a new one. */
public interface TokenProvider {

    /** Forget the cached token. */
    void invalidate();
}

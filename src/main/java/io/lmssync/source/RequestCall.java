package io.lmssync.source;

import io.lmssync.source.RequestBounds.Limits;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * One call an account's gateway makes, within its {@link RequestBounds}: its limits, what was read of its answer, and
 * whether its deadline passed. The watchdog's thread expires it while the route's thread reads the answer, so what
 * both see is volatile or taken under its lock.
 */
final class RequestCall {

    private final String account;
    private final String what;
    private final String stream;
    private final Limits limits;
    private final long started = System.nanoTime();
    private ScheduledFuture<?> timer;
    private Cancellable connection;
    private volatile boolean expired;
    private boolean ended;
    private volatile boolean atEnd;
    private volatile boolean bounded;
    private volatile long read;

    RequestCall(String account, String what, String stream, Limits limits) {
        this.account = account;
        this.what = what;
        this.stream = stream;
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /** The watchdog's timer for the call's deadline, cancelled when the call ends. */
    void timer(ScheduledFuture<?> deadline) {
        timer = deadline;
    }

    synchronized void attach(Cancellable cancellable) {
        connection = cancellable;
        if (expired) {
            cancellable.cancel();
        }
    }

    /** The deadline passed: the call is cancelled, wherever it is. */
    void expire() {
        synchronized (this) {
            if (ended) {
                return;
            }
            expired = true;
        }
        abort();
    }

    boolean expired() {
        return expired;
    }

    /** The connection goes: a read blocked on it fails, and nothing more of the answer is read. */
    void abort() {
        Cancellable cancellable;
        synchronized (this) {
            cancellable = connection;
        }
        if (cancellable != null) {
            cancellable.cancel();
        }
    }

    void end() {
        synchronized (this) {
            ended = true;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (bounded && !atEnd) {
            abort();
        }
    }

    // --- what the answer's reading tells the call (BoundedAnswer) ---

    /** The answer is read within the call's bounds: one left partly read gives up its connection as the call ends. */
    void bounded() {
        bounded = true;
    }

    /** The answer was read to its end: its connection can serve another call. */
    void readToEnd() {
        atEnd = true;
    }

    boolean atEnd() {
        return atEnd;
    }

    /** {@code n} more bytes of the answer were read: true while they are within the cap. */
    boolean read(int n) {
        read += n;
        return read <= limits.maxBytes();
    }

    // --- why the call was cut off, naming the setting ---

    private String whose() {
        return account + "'s answer to " + what + (stream == null ? "" : " (" + stream + ")");
    }

    /**
     * The deadline passed. What the cancelled connection threw is not its cause: Camel's error handlers look down
     * the causes, and would retry a network error (an IOException) the deadline caused on purpose.
     */
    AnswerLimitException deadlineExceeded() {
        double seconds = (System.nanoTime() - started) / 1e9;
        return new AnswerLimitException(whose() + " took longer than " + limits.deadlineSetting() + " ("
                + limits.deadline() + "): cut off after " + String.format(Locale.ROOT, "%.1f s", seconds)
                + " and " + RequestBounds.size(read) + "; nothing of it is delivered and the cursor stays. A vendor"
                + " that is slow but sound needs a longer " + hint(RequestBounds.DEADLINE, limits.deadlineSetting()),
                null);
    }

    AnswerLimitException tooLarge(long declared) {
        String how = declared >= 0 ? "says it is " + RequestBounds.size(declared) + " (Content-Length), more than "
                : "is larger than ";
        String cap = limits.maxBytes() < 1024 ? RequestBounds.size(limits.maxBytes())
                : limits.maxBytes() + " bytes, " + RequestBounds.size(limits.maxBytes());
        return new AnswerLimitException(whose() + " " + how + limits.maxBytesSetting() + " (" + cap + "): cut off"
                + " there; nothing of it is delivered and the cursor stays. An answer that is sound needs a larger "
                + hint(RequestBounds.MAX_BYTES, limits.maxBytesSetting()) + ", and room for it in sync.work-directory",
                null);
    }

    private String hint(String suffix, String used) {
        String own = account + "." + suffix;
        return used.equals(own) ? own : own + " (or sync.http." + suffix + " for every account)";
    }
}

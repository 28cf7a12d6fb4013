package io.lmssync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One pass of one vendor stream: what it read and what became of it. Carried on the exchange as {@link #PROPERTY}. */
public final class SyncRun {

    public static final String PROPERTY = "lmsSyncRun";

    public enum Status { RUNNING, SUCCEEDED, FAILED }

    private final long id;
    private final String vendor;
    private final String stream;
    private final String tenant;
    private final Instant startedAt;
    private final AtomicInteger chunks = new AtomicInteger();
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong inserted = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private volatile int windowsTotal;
    private final AtomicInteger windowsDone = new AtomicInteger();
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong pushPending = new AtomicLong();
    private final AtomicLong pushRefused = new AtomicLong();
    private volatile long expected = -1;
    private volatile Status status = Status.RUNNING;
    private volatile String error;
    private volatile Instant endedAt;

    public SyncRun(long id, String vendor, String stream, String tenant, Instant startedAt) {
        this.id = id;
        this.vendor = vendor;
        this.stream = stream;
        this.tenant = tenant;
        this.startedAt = startedAt;
    }

    public long id() { return id; }
    public String vendor() { return vendor; }
    public String stream() { return stream; }
    /** The vendor's portal, organisation or host: source_tenant of the run's records. */
    public String tenant() { return tenant; }
    public Instant startedAt() { return startedAt; }
    public Status status() { return status; }
    public String error() { return error; }
    public long fetched() { return fetched.get(); }
    public long inserted() { return inserted.get(); }
    public long updated() { return updated.get(); }
    public long unchanged() { return unchanged.get(); }
    public long deleted() { return deleted.get(); }
    public long deadLettered() { return deadLettered.get(); }

    /** Records the vendor's answer holds, when known before delivery (for progress lines); -1 when not. */
    public long expected() { return expected; }

    public void expect(long records) { expected = records; }

    /** The next chunk's number within this run, from 1: names its files and orders its log lines. */
    public int nextChunk() { return chunks.incrementAndGet(); }

    public void countFetched(long n) { fetched.addAndGet(n); }

    /** A request to the stream's vendor is about to be sent. */
    public void countRequest() { requests.incrementAndGet(); }

    /** The stream's vendor answered 429. */
    public void countRateLimited() { rateLimited.incrementAndGet(); }

    public long requests() { return requests.get(); }
    public long rateLimited() { return rateLimited.get(); }

    /** The run's backfill plan: this many windows. */
    public void windowsPlanned(int total) { windowsTotal = total; }

    public void windowDone() { windowsDone.incrementAndGet(); }

    public int windowsTotal() { return windowsTotal; }
    public int windowsDone() { return windowsDone.get(); }
    public Instant endedAt() { return endedAt; }

    /** Completions pushed to Thrive, left waiting for a mapping, refused by Thrive. */
    public void countPush(long accepted, long waiting, long refused) {
        pushed.addAndGet(accepted);
        pushPending.addAndGet(waiting);
        pushRefused.addAndGet(refused);
    }

    public long pushed() { return pushed.get(); }
    public long pushPending() { return pushPending.get(); }
    public long pushRefused() { return pushRefused.get(); }

    /** Records that went through delivery (delivered, unchanged or dead-lettered). */
    public long handled() {
        return inserted.get() + updated.get() + unchanged.get() + deadLettered.get();
    }

    void end(Status outcome, String message, Instant at) {
        status = outcome;
        error = message;
        endedAt = at;
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt);
    }

    /** The one-line summary a run ends with. */
    public String summary() {
        String line = String.format(Locale.ROOT,
                "%s %s: fetched=%d inserted=%d updated=%d unchanged=%d deleted=%d dead_lettered=%d duration=%.1fs",
                stream, status.name().toLowerCase(Locale.ROOT), fetched(), inserted(), updated(), unchanged(),
                deleted(), deadLettered(), duration().toMillis() / 1000.0);
        if (pushed() + pushPending() + pushRefused() > 0) {
            line += String.format(Locale.ROOT, " thrive_pushed=%d thrive_pending=%d thrive_refused=%d", pushed(),
                    pushPending(), pushRefused());
        }
        return error == null ? line : line + " error=\"" + error + "\"";
    }
}

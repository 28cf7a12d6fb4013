package io.lmssync.sync;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream as this process saw it: the run under way, the last run that ended, and totals since start. What the
 * stream's MBean and metrics read.
 */
public final class StreamStats {

    private final String stream;
    private volatile SyncRun current;
    private volatile SyncRun last;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failedRuns = new AtomicLong();
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong inserted = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong older = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();

    StreamStats(String stream) {
        this.stream = stream;
    }

    public String stream() { return stream; }
    /** The run under way, or null. */
    public SyncRun current() { return current; }
    /** The last run that ended in this process, or null. */
    public SyncRun last() { return last; }
    public long runs() { return runs.get(); }
    public long failedRuns() { return failedRuns.get(); }
    public long fetched() { return fetched.get() + (current == null ? 0 : current.fetched()); }
    public long inserted() { return inserted.get() + (current == null ? 0 : current.inserted()); }
    public long updated() { return updated.get() + (current == null ? 0 : current.updated()); }
    public long unchanged() { return unchanged.get() + (current == null ? 0 : current.unchanged()); }
    public long deleted() { return deleted.get() + (current == null ? 0 : current.deleted()); }
    public long deadLettered() { return deadLettered.get() + (current == null ? 0 : current.deadLettered()); }
    public long older() { return older.get() + (current == null ? 0 : current.older()); }
    public long requests() { return requests.get() + (current == null ? 0 : current.requests()); }
    public long rateLimited() { return rateLimited.get() + (current == null ? 0 : current.rateLimited()); }

    synchronized void started(SyncRun run) {
        current = run;
    }

    synchronized void ended(SyncRun run) {
        runs.incrementAndGet();
        if (run.status() != SyncRun.Status.SUCCEEDED) {
            failedRuns.incrementAndGet();
        }
        fetched.addAndGet(run.fetched());
        inserted.addAndGet(run.inserted());
        updated.addAndGet(run.updated());
        unchanged.addAndGet(run.unchanged());
        deleted.addAndGet(run.deleted());
        deadLettered.addAndGet(run.deadLettered());
        older.addAndGet(run.older());
        requests.addAndGet(run.requests());
        rateLimited.addAndGet(run.rateLimited());
        last = run;
        current = null;
    }
}

package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pass of one stream: what it is (source, account, mode), what it read and what became of it. The run's context:
 * carried on the exchange as {@link #PROPERTY}, set by {@link SyncRuns#begin} and read by every step after.
 */
public final class SyncRun {

    public static final String PROPERTY = "lmsSyncRun";

    public enum Status { RUNNING, SUCCEEDED, FAILED }

    /**
     * What a run does: a sync (incremental, or a snapshot), a reconciliation (the whole history, to find deletes), a
     * replay of dead letters, or applying held deletions.
     */
    public enum Mode {
        /**
         * A sync, a reconciliation, a replay of the dead letters, applying held deletions, a re-map of the archive, a
         * first-contact check (a few requests, nothing delivered).
         */
        SYNC, RECONCILE, REPLAY, APPLY, REMAP, CHECK;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final long id;
    private final String source;
    private final String account;
    private final String stream;
    private final String tenant;
    private final Instant startedAt;
    private final Mode mode;
    private final boolean windowed;
    private final AtomicInteger chunks = new AtomicInteger();
    final AtomicLong fetched = new AtomicLong();
    final AtomicLong inserted = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    /** Vendor objects the raw archive took new or changed. */
    final AtomicLong archived = new AtomicLong();
    /** Objects of a raw-only stream (no mapper): kept in the archive only. */
    private final AtomicLong rawOnly = new AtomicLong();
    final AtomicLong older = new AtomicLong();
    private final AtomicLong unidentified = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile long held;
    private volatile long leftAlone;
    /** Whether the store held live records of the stream when the run began (until told, assume it did). */
    private volatile boolean heldLiveRecords = true;
    /** The ids a full pull saw (a snapshot or a reconciliation); null for runs that delete nothing. */
    private final SeenIds seen;
    private volatile Partitions partitions;
    private volatile Instant rangeFrom;
    private volatile Instant rangeUntil;
    private final List<Runnable> whenEnded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private volatile int windowsTotal;
    private final AtomicInteger windowsDone = new AtomicInteger();
    private final SinkCounts sinks = new SinkCounts();
    private volatile long expected = -1;
    /** Partitions the source refused, left out of the rest of the run (lower case, as {@link Partitions} compares). */
    private final java.util.Set<String> skippedPartitions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Status status = Status.RUNNING;
    private volatile String error;
    private volatile Instant endedAt;

    /** A sync of a windowed stream. */
    public SyncRun(long id, String source, String stream, String tenant, Instant startedAt) {
        this(id, source, source, stream, tenant, startedAt, Mode.SYNC, true);
    }

    /**
     * @param windowed whether the stream is read in time windows from a cursor; else every sync is a full snapshot.
     *                 A snapshot and a reconciliation read everything the stream holds: what they did not see is gone
     */
    public SyncRun(long id, String source, String account, String stream, String tenant, Instant startedAt, Mode mode,
            boolean windowed) {
        this.id = id;
        this.source = source;
        this.account = account;
        this.stream = stream;
        this.tenant = tenant;
        this.startedAt = startedAt;
        this.mode = mode;
        this.windowed = windowed;
        this.seen = mode == Mode.RECONCILE || mode == Mode.SYNC && !windowed ? new SeenIds() : null;
    }

    public long id() { return id; }
    /** The source the run reads: the start of its stream's id, the prefix of its settings. */
    public String source() { return source; }
    /** The account the source's calls spend (Continu's two APIs share one). */
    public String account() { return account; }
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
    public Mode mode() { return mode; }
    /** Read in time windows from a cursor (else every sync is a full snapshot). */
    public boolean windowed() { return windowed; }
    /** Versions older than what the sinks hold, not delivered. */
    public long older() { return older.get(); }
    /** Deletions held for an operator. */
    public long held() { return held; }
    /** Records a reconciliation did not delete because they lie outside what it read. */
    public long leftAlone() { return leftAlone; }

    /** A full pull tracks every id it sees, valid or not; null when the run deletes nothing. */
    public SeenIds seen() { return seen; }

    /**
     * Whether the store held live records of the stream when the run began. When it held none, every live record
     * the stream now has was written by this run, so seen by it: a full pull has nothing to look for to delete.
     */
    public boolean heldLiveRecords() { return heldLiveRecords; }

    public void heldLiveRecords(boolean held) { heldLiveRecords = held; }

    /** A full pull saw an object whose id could not be read: it must not delete anything. */
    public void unidentified() { unidentified.incrementAndGet(); }

    public long unidentifiedCount() { return unidentified.get(); }

    public void deletions(long heldCount, long leftAloneCount) {
        held = heldCount;
        leftAlone = leftAloneCount;
    }

    /** The partitions the run reads (null for a stream read whole). */
    public Partitions partitions() { return partitions; }

    public void partitions(Partitions read) { partitions = read; }

    /** The partition of a record, when the stream is read in partitions. */
    public String partitionOf(LearningRecord record) {
        Partitions p = partitions;
        return p == null ? null : p.of(record);
    }

    /** A reconciliation reads [from, until) of the vendor's update times; a snapshot has no range. */
    public void range(Instant from, Instant until) {
        rangeFrom = from;
        rangeUntil = until;
    }

    public Instant rangeFrom() { return rangeFrom; }
    public Instant rangeUntil() { return rangeUntil; }

    /** Records the store held, delivered to a sink that lacked them (by sink). */
    public void countCaughtUp(String sink, long records) { sinks.countCaughtUp(sink, records); }

    /** Records delivered to sinks that were behind the store, by sink. */
    public java.util.Map<String, Long> caughtUp() { return sinks.caughtUp(); }

    /** The records sinks caught up with, as the summary says it: {@code 2000(file)}. */
    public String caughtUpText() { return sinks.caughtUpText(); }

    /** Copies of records an answer held more than once, delivered once (the newer, else the later, copy). */
    public void countDuplicates(long copies) {
        duplicates.addAndGet(copies);
    }

    public long duplicates() {
        return duplicates.get();
    }

    /** A partition the source refused is left out of the rest of the run (counted as skipped). */
    public void skipPartition(String key) {
        skippedPartitions.add(key.toLowerCase(Locale.ROOT));
    }

    public boolean skippedPartition(String key) {
        return skippedPartitions.contains(key.toLowerCase(Locale.ROOT));
    }

    /** Partitions left out of the run because the source refused them. */
    public long skipped() {
        return skippedPartitions.size();
    }

    /** Records the vendor's answer holds, when known before delivery (for progress lines); -1 when not. */
    public long expected() { return expected; }

    public void expect(long records) { expected = records; }

    /** The next chunk's number within this run, from 1: names its files and orders its log lines. */
    public int nextChunk() { return chunks.incrementAndGet(); }

    public void countFetched(long n) { fetched.addAndGet(n); }

    public long archived() { return archived.get(); }
    public void countRawOnly(long n) { rawOnly.addAndGet(n); }
    /** Objects of a raw-only stream, kept in the archive only (no mapper, nothing delivered). */
    public long rawOnly() { return rawOnly.get(); }

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
    public void countPush(long accepted, long waiting, long refused) { sinks.countPush(accepted, waiting, refused); }

    /** Waiting or refused completions not pushed because they are no longer their record's completion. */
    public void countStalePush(long stale) { sinks.countStalePush(stale); }

    public long pushed() { return sinks.pushed(); }
    public long pushPending() { return sinks.pushPending(); }
    public long pushRefused() { return sinks.pushRefused(); }
    public long pushStale() { return sinks.pushStale(); }

    /** Statements the LRS took (the xapi sink): new ones, and ones voiding an earlier statement. */
    public void countStatements(long sent, long voided) { sinks.countStatements(sent, voided); }

    public long statementsSent() { return sinks.statementsSent(); }
    public long statementsVoided() { return sinks.statementsVoided(); }

    /** Records that went through delivery (delivered, unchanged, older, dead-lettered, or a duplicate's copy). */
    public long handled() {
        return inserted.get() + updated.get() + unchanged.get() + older.get() + deadLettered.get() + rawOnly.get()
                + duplicates.get();
    }

    void end(Status outcome, String message, Instant at) {
        status = outcome;
        error = message;
        endedAt = at;
        whenEnded.forEach(Runnable::run);
    }

    /** Something to clean up when the run ends, however it ends (a sink's staged files never committed). */
    public void whenEnded(Runnable cleanUp) {
        whenEnded.add(cleanUp);
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt);
    }

    /** The one-line summary a run ends with. */
    public String summary() {
        return RunSummary.of(this);
    }
}

package io.lmssync.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What sinks did with a run beyond delivering it, counted as they report it: completions pushed to Thrive, statements
 * the LRS took, records a sink that was behind the store caught up with. Kept apart from {@link SyncRun}'s own counts
 * because each is one sink's business, and most runs have none.
 */
final class SinkCounts {

    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong pushPending = new AtomicLong();
    private final AtomicLong pushRefused = new AtomicLong();
    private final AtomicLong pushStale = new AtomicLong();
    private final AtomicLong statementsSent = new AtomicLong();
    private final AtomicLong statementsVoided = new AtomicLong();
    private final Map<String, Long> caughtUp = new ConcurrentHashMap<>();

    /** Completions pushed to Thrive, left waiting for a mapping, refused by Thrive. */
    void countPush(long accepted, long waiting, long refused) {
        pushed.addAndGet(accepted);
        pushPending.addAndGet(waiting);
        pushRefused.addAndGet(refused);
    }

    /** Waiting or refused completions not pushed because they are no longer their record's completion. */
    void countStalePush(long stale) {
        pushStale.addAndGet(stale);
    }

    long pushed() { return pushed.get(); }
    long pushPending() { return pushPending.get(); }
    long pushRefused() { return pushRefused.get(); }
    long pushStale() { return pushStale.get(); }

    /** Statements the LRS took (the xapi sink): new ones, and ones voiding an earlier statement. */
    void countStatements(long sent, long voided) {
        statementsSent.addAndGet(sent);
        statementsVoided.addAndGet(voided);
    }

    long statementsSent() { return statementsSent.get(); }
    long statementsVoided() { return statementsVoided.get(); }

    /** Records the store held, delivered to a sink that lacked them (by sink). */
    void countCaughtUp(String sink, long records) {
        caughtUp.merge(sink, records, Long::sum);
    }

    Map<String, Long> caughtUp() {
        return Map.copyOf(caughtUp);
    }

    /** The records sinks caught up with, as the summary says it: {@code 2000(file)}. */
    String caughtUpText() {
        return caughtUp.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + "(" + e.getKey() + ")").collect(Collectors.joining(","));
    }
}

package io.lmssync.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The runs that ended in this process, the latest {@link #KEPT} of them, and how many ended in all: a caller takes
 * the count as a marker, and later asks for the runs that ended after it (a {@code --once} pass, its table).
 */
final class EndedRuns {

    /** Enough for one pass of every stream. */
    private static final int KEPT = 1000;

    private final Deque<SyncRun> recent = new ArrayDeque<>();
    private long ended;

    synchronized void add(SyncRun run) {
        recent.addLast(run);
        if (recent.size() > KEPT) {
            recent.removeFirst();
        }
        ended++;
    }

    synchronized long count() {
        return ended;
    }

    /** The runs that ended after the marker, oldest first. */
    synchronized List<SyncRun> since(long marker) {
        List<SyncRun> all = new ArrayList<>(recent);
        int count = (int) Math.min(all.size(), ended - marker);
        return List.copyOf(all.subList(all.size() - count, all.size()));
    }
}

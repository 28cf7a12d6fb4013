package io.lmssync.source;

import io.lmssync.source.Paging.Pages;
import io.lmssync.source.WhenRefused.Probe;
import io.lmssync.sync.SyncWindows.Window;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One window's scan of a stream (on the run's exchange, read only by {@link RequestPlan}): the batches of partitions
 * still to read, the batch being read and its pages, and a probe under way. A batch the source refused may be split;
 * its halves are read before the next batch and remember the batch they came from.
 */
final class Scan {

    /** A batch as it was planned: how many partitions it held, and how many of them the source refused. */
    static final class Planned {
        final int size;
        int refused;

        Planned(int size) {
            this.size = size;
        }
    }

    /** Partitions read by one request set: a planned batch, or part of one after a split. */
    record Batch(List<String> keys, Planned planned) {
    }

    final Window window;
    private final Deque<Batch> batches = new ArrayDeque<>();
    Batch batch;
    Pages pages;
    Probe probe;

    Scan(Window window, List<List<String>> planned) {
        this.window = window;
        planned.forEach(keys -> batches.add(new Batch(keys, new Planned(keys.size()))));
    }

    /** The next batch to read, or null when the window is read. */
    Batch nextBatch() {
        batch = batches.poll();
        pages = null;
        return batch;
    }

    /** The batch being read is read again in halves, before anything else. */
    void split() {
        List<String> keys = batch.keys();
        int half = keys.size() / 2;
        batches.addFirst(new Batch(List.copyOf(keys.subList(half, keys.size())), batch.planned()));
        batches.addFirst(new Batch(List.copyOf(keys.subList(0, half)), batch.planned()));
        batch = null;
    }
}

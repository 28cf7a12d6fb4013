package io.lmssync.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The record ids a full pull saw, for the run's deletions: 8 bytes a record (64-bit FNV-1a hashes in a growing, then
 * sorted array) instead of a row written per record. Two ids with the same hash make an unseen record look seen, so
 * a collision (about 3 in 10^8 at a million records) can only keep a record, never delete one.
 */
public final class SeenIds {

    private long[] hashes = new long[1024];
    private int size;
    private boolean sorted = true;

    public synchronized void add(String recordId) {
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        hashes[size++] = hash(recordId);
        sorted = false;
    }

    public synchronized boolean contains(String recordId) {
        if (!sorted) {
            Arrays.sort(hashes, 0, size);
            sorted = true;
        }
        return Arrays.binarySearch(hashes, 0, size, hash(recordId)) >= 0;
    }

    public synchronized int size() {
        return size;
    }

    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}

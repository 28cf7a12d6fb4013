package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.Set;
import java.util.function.Function;

/**
 * What a run asked about, when a stream is read in partitions (Continu's Open API per learner of the roster, Absorb
 * per course): the partition keys as the requests use them, and which partition a record belongs to. Keys compare
 * without regard to case. A reconciliation deletes only records of the partitions it read; the record index keeps
 * each record's partition for that.
 */
public record Partitions(List<String> keys, Function<LearningRecord, String> keyOf) {

    public Partitions {
        keys = List.copyOf(keys);
    }

    /** The partition of a record; null when the record does not say (it is then never deleted by a reconciliation). */
    public String of(LearningRecord record) {
        String key = keyOf.apply(record);
        return key == null ? null : stored(key);
    }

    /** The partitions read, as {@link #of} names them. */
    public Set<String> keySet() {
        return keys.stream().map(Partitions::stored).collect(Collectors.toUnmodifiableSet());
    }

    /** A key as the record index keeps it: without regard to case, and as its column holds any text. */
    private static String stored(String key) {
        return ColumnText.of(key.toLowerCase(Locale.ROOT), ColumnText.PARTITION);
    }
}

package io.lmssync.source;

import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Partitions;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * Which partitions a run asks about (the partition router): their keys, read once at the start of a run (from a
 * file, the settings, or a listing of the source's own), which partition a record belongs to, and how a batch of
 * keys reaches a request. A reconciliation deletes only records of the partitions it read.
 */
public interface Partitioning {

    /** The run's partitions; null when the stream is read whole. */
    Partitions read(Exchange exchange) throws Exception;

    /** The plan that lists the partitions' keys page by page, when they come from the source; else null. */
    default RequestPlan listing() {
        return null;
    }

    /** The run's partitions, from the keys a listing gave. */
    default Partitions listed(List<String> keys) {
        throw new UnsupportedOperationException("these partitions are not listed by the source");
    }

    int batchSize();

    void place(Uri uri, List<String> batch);

    /** Every record of the batch is in every sink (its scan ended): partitions handed over are done. */
    default void scanned(Exchange exchange, List<String> batch) throws Exception {
    }

    /** The stream is read whole. */
    static Partitioning none() {
        return new Partitioning() {
            @Override
            public Partitions read(Exchange exchange) {
                return null;
            }

            @Override
            public int batchSize() {
                return 1;
            }

            @Override
            public void place(Uri uri, List<String> batch) {
            }
        };
    }

    /** The keys in batches, joined by commas in a query parameter: {@code for_users=a@x,b@x}. */
    static Partitioning queryList(KeyReader keys, Function<LearningRecord, String> keyOf, String param,
            int batchSize) {
        return new Keyed(keys, null, keyOf, batchSize, (uri, batch) -> uri.param(param, String.join(",", batch)));
    }

    /** One key a request, as the path segment {@code {partition}}: {@code /courses/{partition}/enrollments}. */
    static Partitioning pathSegment(KeyReader keys, Function<LearningRecord, String> keyOf) {
        return new Keyed(keys, null, keyOf, 1, (uri, batch) -> uri.segment("partition", batch.get(0)));
    }

    /** Likewise, the keys the ids of what {@code listing} lists (Absorb's {@code GET /courses}). */
    static Partitioning pathSegment(RequestPlan listing, Function<LearningRecord, String> keyOf) {
        return new Keyed(null, listing, keyOf, 1, (uri, batch) -> uri.segment("partition", batch.get(0)));
    }

    /** Where a run's partition keys come from. */
    @FunctionalInterface
    interface KeyReader {
        List<String> keys(Exchange exchange) throws Exception;
    }

    /** Partitions by key, read or listed. */
    record Keyed(KeyReader keys, RequestPlan listing, Function<LearningRecord, String> keyOf, int batchSize,
            BiConsumer<Uri, List<String>> placement) implements Partitioning {

        @Override
        public Partitions read(Exchange exchange) throws Exception {
            return new Partitions(keys.keys(exchange), keyOf);
        }

        @Override
        public Partitions listed(List<String> listed) {
            return new Partitions(listed, keyOf);
        }

        @Override
        public void place(Uri uri, List<String> batch) {
            placement.accept(uri, batch);
        }
    }
}

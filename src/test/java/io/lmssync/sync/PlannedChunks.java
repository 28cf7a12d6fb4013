package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.util.List;

/** Test access: a chunk planned to deliver exactly these records, as if the record index knew none of them. */
public final class PlannedChunks {

    private PlannedChunks() {
    }

    public static Chunk of(SyncRun run, List<LearningRecord> records) {
        Chunk chunk = new Chunk(run);
        records.forEach(chunk::add);
        chunk.plan(new RecordIndex.Plan(records, List.of(), records.size(), 0, 0, 0, 0));
        return chunk;
    }
}

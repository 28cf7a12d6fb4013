package io.lmssync.sink;

import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.SyncRun;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The file sink: a chunk's records as NDJSON, one canonical record a line, in
 * {@code <dir>/<source>/<record_type>/<yyyy-MM-dd>/<stream>-run<N>-<chunk>.ndjson}; for a stream without a mapper
 * (kept raw), its new and changed objects as received in {@code <dir>/raw/<stream>/<yyyy-MM-dd>/...}. A file appears whole, and only once its chunk is
 * in every sink ({@link StagedFiles}).
 */
public final class NdjsonFileSink {

    private final StagedFiles files;

    public NdjsonFileSink(StagedFiles files) {
        this.files = files;
    }

    public void write(Chunk chunk) {
        Map<String, List<LearningRecord>> byType = chunk.toDeliver().stream().collect(
                Collectors.groupingBy(r -> r.source() + "/" + r.recordType(), TreeMap::new, Collectors.toList()));
        byType.forEach((folder, records) -> files.stage(chunk,
                Path.of(folder).resolve(day(chunk.run())).resolve(fileName(chunk)),
                records.stream().map(Json::write).toList()));
        // the raw mirror of a stream without a mapper (a canonical record carries its object in raw already): the
        // objects the archive took new or changed, as received; a deleted one as a line naming it
        if (chunk.records().isEmpty() && !chunk.rawChanges().isEmpty()) {
            files.stage(chunk, Path.of("raw", chunk.run().stream()).resolve(day(chunk.run())).resolve(fileName(chunk)),
                    chunk.rawChanges().stream().map(change -> change.deleted() ? Json.write(Map.of("stream",
                            chunk.run().stream(), "id", change.id(), "deleted_at", change.fetchedAt().toString()))
                            : change.text()).toList());
        }
    }

    /** The chunk is committed: its files appear. */
    public void publish(Chunk chunk) throws java.sql.SQLException {
        files.publish(chunk);
    }

    static String day(SyncRun run) {
        return run.startedAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    static String fileName(Chunk chunk) {
        return String.format(Locale.ROOT, "%s-run%d-%05d.ndjson", chunk.run().stream(), chunk.run().id(), chunk.number());
    }
}

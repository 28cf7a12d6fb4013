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
 * {@code <dir>/<source>/<record_type>/<yyyy-MM-dd>/<stream>-<run>-<chunk>.ndjson}; a file appears whole or not at all.
 */
public final class NdjsonFileSink {

    private final Path directory;

    public NdjsonFileSink(Path directory) {
        this.directory = directory;
    }

    public void write(Chunk chunk) {
        Map<String, List<LearningRecord>> byType = chunk.toDeliver().stream().collect(
                Collectors.groupingBy(r -> r.source() + "/" + r.recordType(), TreeMap::new, Collectors.toList()));
        byType.forEach((folder, records) -> NdjsonFiles.write(
                directory.resolve(folder).resolve(day(chunk.run())).resolve(fileName(chunk)),
                records.stream().map(Json::write).toList()));
    }

    static String day(SyncRun run) {
        return run.startedAt().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    static String fileName(Chunk chunk) {
        return String.format(Locale.ROOT, "%s-run%d-%05d.ndjson", chunk.run().stream(), chunk.run().id(), chunk.number());
    }
}

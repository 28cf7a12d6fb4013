package io.lmssync;

import io.lmssync.record.RecordSchema;
import io.lmssync.sink.LearningRecordRows;
import io.lmssync.sink.Sinks;
import io.lmssync.sync.Deletions;
import io.lmssync.sync.FollowUps;
import io.lmssync.sync.RawArchive;
import io.lmssync.sync.RecordIndex;
import io.lmssync.sync.SinkCatchUp;
import org.apache.camel.spi.Registry;

/**
 * What the store keeps of the records, bound by the names the routes use: the raw archive, the record index with each
 * sink's catch-up, and the deletions with their guard. The sinks and the control plane take the index and the
 * deletions from here.
 */
record RecordStore(RecordIndex index, Deletions deletions) {

    static RecordStore bind(Registry registry, Settings settings, Sinks sinks, Database database,
            FollowUps followUps, int chunkSize) {
        RawArchive rawArchive = new RawArchive(database.pool(), database.dialect(), chunkSize,
                settings.flag("sync.raw-archive.enabled"));
        registry.bind("rawArchive", rawArchive);
        // with the jdbc sink on, a record's last content is in its table: the index does not keep a second copy
        RecordIndex recordIndex = sinks.has("jdbc")
                ? new RecordIndex(database.pool(), database.dialect(), new RecordSchema(), LearningRecordRows.COLUMNS,
                        LearningRecordRows::read, followUps, rawArchive)
                : new RecordIndex(database.pool(), database.dialect(), new RecordSchema(), followUps, rawArchive);
        registry.bind("recordIndex", recordIndex);
        SinkCatchUp catchUp = new SinkCatchUp(database.pool(), sinks.names(), recordIndex, chunkSize);
        recordIndex.catchUp(catchUp);
        registry.bind("sinkCatchUp", catchUp);
        Deletions deletions = new Deletions(database.pool(), database.dialect(), recordIndex, chunkSize,
                settings.fraction("sync.delete-guard.max-fraction"),
                settings.positiveInt("sync.delete-guard.min-count"));
        registry.bind("deletions", deletions);
        return new RecordStore(recordIndex, deletions);
    }
}

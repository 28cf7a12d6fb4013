package io.lmssync;

import io.lmssync.sink.DeadLetterStore;
import io.lmssync.sink.KafkaMessages;
import io.lmssync.sink.NdjsonFileSink;
import io.lmssync.sink.Sinks;
import io.lmssync.sink.StagedFiles;
import io.lmssync.sink.thrive.ThriveSink;
import io.lmssync.sink.xapi.XapiSink;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.TokenProvider;
import io.lmssync.sync.StreamSlots;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.spi.Registry;

/**
 * The sinks' own parts, bound by the names the routes use: the sinks on, files staged under this process's holder
 * (recovered at start-up), the dead letters, the file and Kafka sinks; and, once the accounts' budgets are made, the sinks that call
 * a vendor's API ({@link #bindPushSinks}).
 */
record Delivery(StagedFiles files, DeadLetterStore deadLetters) {

    static Delivery bind(Registry registry, Settings settings, Sinks sinks, Database database, Path fileDirectory,
            StreamSlots slots, int chunkSize) {
        registry.bind("sinks", sinks);
        StagedFiles files = new StagedFiles(fileDirectory, database.pool(), slots.holder());
        DeadLetterStore deadLetters = new DeadLetterStore(database.pool(), database.dialect(),
                sinks.has("file") && !sinks.has("jdbc") ? files : null, chunkSize);
        registry.bind("deadLetters", deadLetters);
        registry.bind("fileSink", new NdjsonFileSink(files));
        if (sinks.has("kafka")) {
            registry.bind("kafkaMessages", new KafkaMessages(settings));
        }
        return new Delivery(files, deadLetters);
    }

    /** The sinks that call a vendor's API, when on: Thrive's push, and the xAPI LRS within its account's budget. */
    void bindPushSinks(Registry registry, Settings settings, Sinks sinks, Database database, RecordStore store,
            Map<String, TokenProvider> tokens, RateBudgets budgets, int chunkSize) throws Exception {
        if (sinks.has(LmsSyncConfiguration.THRIVE)) {
            ThriveSink.bind(registry, settings, database.pool(), store.index(), deadLetters, tokens, chunkSize);
        }
        if (sinks.has(LmsSyncConfiguration.XAPI)) {
            registry.bind("xapiSink", XapiSink.of(settings, database.pool(), budgets.account(XapiSink.ACCOUNT)));
        }
    }
}

package io.lmssync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.ops.Secrets;
import io.lmssync.record.RecordSchema;
import io.lmssync.sink.DeadLetterStore;
import io.lmssync.sink.LearningRecordRows;
import io.lmssync.sink.NdjsonFileSink;
import io.lmssync.sink.Sinks;
import io.lmssync.sync.RecordIndex;
import io.lmssync.sync.SyncRuns;
import io.lmssync.vendor.AnswerDownload;
import io.lmssync.vendor.JsonArrayChunks;
import io.lmssync.vendor.StaticTokenAuth;
import io.lmssync.vendor.Vendor;
import io.lmssync.vendor.moocit.MoocitCompletionMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the settings and builds the beans the YAML routes refer to by name. Everything that can be wrong with the
 * configuration fails here, at start-up, with a message naming the key.
 */
public final class LmsSyncConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LmsSyncConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        Sinks sinks = new Sinks(settings);
        int chunkSize = settings.positiveInt("sync.chunk-size");
        List<Vendor> enabled = Vendor.enabledIn(settings);
        Map<Vendor, Map<String, String>> credentials = new EnumMap<>(Vendor.class);
        Map<String, String> tenants = new LinkedHashMap<>();
        for (Vendor vendor : enabled) {
            credentials.put(vendor, vendor.validate(settings));
            tenants.put(vendor.key(), vendor.tenant(settings));
        }
        settings.positiveInt("sync.http.connect-timeout-ms");
        settings.positiveInt("sync.http.response-timeout-ms");
        if (settings.flag("sync.run-once")) {
            // one pass, started by the run-once driver: the schedules must not fire meanwhile
            context.getComponent("quartz", QuartzComponent.class).setAutoStartScheduler(false);
        }

        String dialect = dialect(settings);
        HikariDataSource dataSource = dataSource(settings);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + dialect).load().migrate();
        context.getPropertiesComponent().addOverrideProperty("sync.jdbc.dialect", dialect);

        Path fileDirectory = Path.of(settings.text("sync.file.directory"));
        Registry registry = context.getRegistry();
        registry.bind("syncDataSource", dataSource);
        registry.bind("sinks", sinks);
        registry.bind("keepChunk", new UseOriginalAggregationStrategy());
        registry.bind("vendorRetry", retryPolicy(settings));
        registry.bind("recordIndex", new RecordIndex(dataSource, chunkSize));
        registry.bind("syncRuns", new SyncRuns(dataSource, tenants, Clock.systemUTC()));
        registry.bind("deadLetters", new DeadLetterStore(dataSource,
                sinks.has("file") && !sinks.has("jdbc") ? fileDirectory : null));
        registry.bind("learningRecordRows", new LearningRecordRows());
        registry.bind("fileSink", new NdjsonFileSink(fileDirectory));
        registry.bind("answerDownload", new AnswerDownload(Path.of(settings.text("sync.work-directory"))));
        registry.bind("jsonArrayChunks", new JsonArrayChunks(chunkSize));

        RecordSchema schema = new RecordSchema();
        if (credentials.containsKey(Vendor.MOOCIT)) {
            String token = credentials.get(Vendor.MOOCIT).get("moocit.token");
            registry.bind("moocitAuth", new StaticTokenAuth("Bearer ", token));
            registry.bind("moocitCompletionMapper", new MoocitCompletionMapper(schema));
        }
        LOG.info("sinks {}; vendors enabled: {}", sinks.names(),
                enabled.isEmpty() ? "none" : enabled.stream().map(Vendor::key).toList());
    }

    private static HikariDataSource dataSource(Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("lms-sync");
        config.setJdbcUrl(settings.text("sync.jdbc.url"));
        config.setUsername(settings.optional("sync.jdbc.username").orElse(null));
        settings.optional("sync.jdbc.password").map(Secrets::register).ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.positiveInt("sync.jdbc.pool-size"));
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot open the database at sync.jdbc.url (" + config.getJdbcUrl()
                    + "): " + rootMessage(e));
        }
    }

    /** The folder of SQL files (migrations, upserts) for the database behind sync.jdbc.url. */
    static String dialect(Settings settings) {
        String url = settings.text("sync.jdbc.url");
        if (url.startsWith("jdbc:h2:")) {
            return "h2";
        }
        throw new ConfigurationException("sync.jdbc.url must be an H2 URL (jdbc:h2:...); '" + url
                + "' is a database lms-sync does not support yet");
    }

    private static RedeliveryPolicy retryPolicy(Settings settings) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(settings.positiveInt("sync.retry.max-redeliveries"));
        policy.setRedeliveryDelay(settings.positiveInt("sync.retry.delay-ms"));
        policy.setMaximumRedeliveryDelay(settings.positiveInt("sync.retry.max-delay-ms"));
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        policy.setRetryAttemptedLogLevel(LoggingLevel.WARN);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        return policy;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

package io.lmssync;

import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.check.CheckStore;
import io.lmssync.check.FirstContact;
import io.lmssync.ops.ControlPlane;
import io.lmssync.ops.ManagementAccess;
import io.lmssync.ops.ManagementPort;
import io.lmssync.ops.Secrets;
import io.lmssync.record.RecordSchema;
import io.lmssync.sink.DeadLetterStore;
import io.lmssync.sink.KafkaMessages;
import io.lmssync.sink.LearningRecordRows;
import io.lmssync.sink.NdjsonFileSink;
import io.lmssync.sink.ParsedOnceStatements;
import io.lmssync.sink.Refusals;
import io.lmssync.sink.StagedFiles;
import io.lmssync.sink.Sinks;
import io.lmssync.sink.thrive.ThriveSink;
import io.lmssync.sink.xapi.XapiSink;
import io.lmssync.sync.AccountSlots;
import io.lmssync.sync.ClusterAgreement;
import io.lmssync.sync.ClusterSchedule;
import io.lmssync.sync.PoolSize;
import io.lmssync.sync.DatabaseClock;
import io.lmssync.sync.DatabaseFaults;
import io.lmssync.sync.Deletions;
import io.lmssync.sync.StreamSlots;
import io.lmssync.sync.Dialect;
import io.lmssync.sync.FollowUps;
import io.lmssync.sync.RawArchive;
import io.lmssync.sync.RecordIndex;
import io.lmssync.sync.Retention;
import io.lmssync.sync.Schedules;
import io.lmssync.sync.Schema;
import io.lmssync.sync.StreamControl;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import io.lmssync.sync.OwnExchange;
import io.lmssync.sync.SinkCatchUp;
import io.lmssync.sync.SourceRuns;
import io.lmssync.source.AnswerDownload;
import io.lmssync.source.JsonArrayChunks;
import io.lmssync.source.RateBudget;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.RequestBounds;
import io.lmssync.source.Source;
import io.lmssync.source.SourceRoutes;
import io.lmssync.source.SourceRequest;
import io.lmssync.source.Sources;
import io.lmssync.source.SpoolDirectory;
import io.lmssync.source.TokenProvider;
import io.lmssync.source.TokenRenewal;
import io.lmssync.sink.thrive.ThrivePush;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the settings and builds the beans the YAML routes refer to by name. Everything that can be wrong with the
 * configuration fails here, at start-up, with a message naming the key.
 */
public final class LmsSyncConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LmsSyncConfiguration.class);
    /** The Thrive sink's name in sync.sinks. */
    private static final String THRIVE = "thrive";
    /** The xAPI sink's name in sync.sinks. */
    private static final String XAPI = "xapi";

    /**
     * Every setting is read and checked and every part built first, with the database's pool not yet open; then the
     * start-up steps that touch the database and the files run, in their order ({@link #startUp}). A wrong setting
     * so stops the start before a migration runs or another process's state is looked at.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        Sinks sinks = new Sinks(settings);
        int chunkSize = settings.positiveInt("sync.chunk-size");
        Sources sources = new Sources(settings);
        // every cron in one zone, sync.time-zone: checked now, applied to the triggers once Camel made them
        Schedules schedules = Schedules.of(settings);
        settings.positiveInt("sync.http.connect-timeout-ms");
        settings.positiveInt("sync.http.response-timeout-ms");
        ManagementPort.check(settings);
        ManagementAccess access = settings.flag("camel.management.enabled") ? ManagementAccess.of(settings) : null;
        if (settings.flag("sync.run-once")) {
            // one pass, started by the run-once driver: the schedules must not fire meanwhile
            context.getComponent("quartz", QuartzComponent.class).setAutoStartScheduler(false);
        }
        boolean cluster = settings.flag("sync.cluster");

        Dialect dialect = Dialect.of(settings.text("sync.jdbc.url"));
        DatabaseFaults faults = new DatabaseFaults();
        HikariDataSource dataSource = dataSource(settings, PoolSize.of(settings, sources.enabled()), faults);
        closeOnStop(context, dataSource::close);
        if (cluster) {
            ClusterSchedule.configure(context.getComponent("quartz", QuartzComponent.class), dataSource, dialect,
                    settings);
        }
        Retention retention = Retention.of(dataSource, settings, Clock.systemUTC());
        // the jdbc sink's SQL files for the database of sync.jdbc.url (routes/deliver.camel.yaml)
        context.getPropertiesComponent().addOverrideProperty("sync.jdbc.dialect", dialect.folder());

        Path fileDirectory = Path.of(settings.text("sync.file.directory"));
        Registry registry = context.getRegistry();
        registry.bind("syncDataSource", dataSource);
        registry.bind("retention", retention);
        registry.bind("sinks", sinks);
        registry.bind("keepChunk", new UseOriginalAggregationStrategy());
        registry.bind("callRetry", retryPolicy(settings));
        // with the jdbc sink on, a record's last content is in its table: the index does not keep a second copy
        FollowUps followUps = new FollowUps(dataSource, Clock.systemUTC());
        // each source declares its streams with their parts; their routes are made from the stream templates
        Map<String, TokenProvider> tokens = new HashMap<>();
        sources.declare(followUps, tokens, Clock.systemUTC());
        registry.bind("sourceRoutes", new SourceRoutes(sources, settings));
        RawArchive rawArchive = new RawArchive(dataSource, dialect, chunkSize,
                settings.flag("sync.raw-archive.enabled"));
        registry.bind("rawArchive", rawArchive);
        RecordIndex recordIndex = sinks.has("jdbc")
                ? new RecordIndex(dataSource, dialect, new RecordSchema(), LearningRecordRows.COLUMNS,
                        LearningRecordRows::read, followUps, rawArchive)
                : new RecordIndex(dataSource, dialect, new RecordSchema(), followUps, rawArchive);
        registry.bind("recordIndex", recordIndex);
        SinkCatchUp catchUp = new SinkCatchUp(dataSource, sinks.names(), recordIndex, chunkSize);
        recordIndex.catchUp(catchUp);
        registry.bind("sinkCatchUp", catchUp);
        Deletions deletions = new Deletions(dataSource, dialect, recordIndex, chunkSize,
                settings.fraction("sync.delete-guard.max-fraction"),
                settings.positiveInt("sync.delete-guard.min-count"));
        registry.bind("deletions", deletions);
        String node = ManagementFactory.getRuntimeMXBean().getName();
        StreamControl control = new StreamControl(dataSource, Clock.systemUTC(), node);
        StreamSlots slots = new StreamSlots(dataSource, node);
        AccountSlots accountSlots = new AccountSlots(slots, oneRunAtATime(settings, sources), account -> {
            TokenProvider token = tokens.get(account);
            if (token != null) {
                token.invalidate();
            }
        });
        SyncRuns syncRuns = new SyncRuns(dataSource, sources, Clock.systemUTC(), control, slots, accountSlots,
                settings.flag("sync.run-once"));
        syncRuns.context(context);
        closeOnStop(context, syncRuns::close);
        registry.bind("syncRuns", syncRuns);
        StagedFiles files = new StagedFiles(fileDirectory, dataSource, slots.holder());
        registry.bind("requestHeadersAsSet", requestHeadersAsSet());
        DeadLetterStore deadLetters = new DeadLetterStore(dataSource, dialect,
                sinks.has("file") && !sinks.has("jdbc") ? files : null, chunkSize);
        registry.bind("deadLetters", deadLetters);
        registry.bind("learningRecordRows", new LearningRecordRows());
        registry.bind("fileSink", new NdjsonFileSink(files));
        registry.bind("refusals", new Refusals());
        registry.bind("parsedOnceStatements", new ParsedOnceStatements());
        if (sinks.has("kafka")) {
            registry.bind("kafkaMessages", new KafkaMessages(settings));
        }
        // every call's deadline and its answer's cap, per account; the spool keeps room on its disk for the rest
        RequestBounds bounds = RequestBounds.of(settings, accounts(sources, sinks));
        closeOnStop(context, bounds::close);
        registry.bind("requestBounds", bounds);
        registry.bind("jsonArrayChunks", new JsonArrayChunks(chunkSize));

        SyncWindows syncWindows = new SyncWindows(dataSource, settings, new DatabaseClock(dataSource));
        registry.bind("syncWindows", syncWindows);
        // the account's gateway (routes/stream-templates.camel.yaml): the request a stream planned, as an HTTP call
        registry.bind("sourceRequest", (Processor) SourceRequest::prepare);
        // an answer taken as it came (Thrive's, which says what became of one completion)
        registry.bind("asReceived", (Processor) exchange -> {
            Message message = exchange.getMessage();
            try (InputStream in = bounds.answer(exchange, message.getBody(InputStream.class))) {
                message.setBody(in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
        RateBudgets budgets = budgets(settings, sources, sinks, dataSource, bounds);
        registry.bind("rateBudgets", budgets);
        registry.bind("rateLimited", (Processor) budgets::refused);
        registry.bind("tokenRenewal", new TokenRenewal());
        SourceRuns sourceRuns = new SourceRuns(sources, context);
        registry.bind("sourceRuns", sourceRuns);
        registry.bind("ownExchange", new OwnExchange(context));
        closeOnStop(context, sourceRuns::close);

        FirstContact firstContact = new FirstContact(context, sources, settings, budgets, accountSlots,
                new CheckStore(dataSource), Clock.systemUTC(), sinks.has(THRIVE));
        registry.bind("firstContact", firstContact);
        syncRuns.gate(firstContact::refuses);

        if (sinks.has(THRIVE)) {
            ThriveSink.bind(registry, settings, dataSource, recordIndex, deadLetters, tokens, chunkSize);
        }
        if (sinks.has(XAPI)) {
            registry.bind("xapiSink", XapiSink.of(settings, dataSource, budgets.account(XapiSink.ACCOUNT)));
        }
        ControlPlane controlPlane = new ControlPlane(context, sources, syncRuns, sourceRuns, syncWindows, deletions,
                budgets, tokens, firstContact, dataSource, faults, settings.flag("camel.main.jmx-enabled"),
                settings.duration("sync.health.max-pause"));
        context.addService(controlPlane);
        registry.bind("controlPlane", controlPlane);
        whenStarted(context, sources, access, schedules, controlPlane, cluster);

        startUp(dataSource, dialect, retention, syncRuns, files, budgets);
        // a node that takes the cluster's schedules must run what they fire; a one-pass process (--once, a check,
        // a replay) takes none, and may run a part of the whole (Continu's Reporting API beside a node's Open API)
        if (cluster && !settings.flag("sync.run-once")) {
            ClusterAgreement agreement = new ClusterAgreement(dataSource, slots.holder(),
                    ClusterParts.of(settings, sources, sinks), slots::goneFromThisHost);
            agreement.join(settings.flag("sync.cluster.allow-differing"));
            closeOnStop(context, agreement::close);
        }
        // answers a killed process spooled are swept now; this process spools into a folder of its own
        SpoolDirectory spool = SpoolDirectory.claim(Path.of(settings.text("sync.work-directory")));
        closeOnStop(context, spool::close);
        registry.bind("answerDownload", new AnswerDownload(spool.path(),
                settings.positiveLong("sync.work-directory.keep-free-bytes"), bounds));
        LOG.info("sinks {}; sources enabled: {}", sinks.names(),
                sources.enabled().isEmpty() ? "none" : sources.enabled().stream().map(Source::key).toList());
    }

    /**
     * The start-up steps that touch the database, in the order they need: the schema first (every other step reads
     * it); the bookkeeping pruned; the runs of processes that died marked abandoned and their slots freed (only those:
     * another process may be running on the same database, a rolling deploy or a cron {@code --once}); the committed
     * files of those processes moved into place and their uncommitted ones deleted (never a live process's); the
     * accounts' budget rows made.
     */
    private static void startUp(HikariDataSource dataSource, Dialect dialect, Retention retention, SyncRuns runs,
            StagedFiles files, RateBudgets budgets) throws Exception {
        try (java.sql.Connection first = dataSource.getConnection()) {
            LOG.debug("the database answers: {}", first.getMetaData().getDatabaseProductName());
        } catch (SQLException | RuntimeException e) {
            throw cannotOpen(dataSource, e);
        }
        Schema.migrate(dataSource, dialect);
        retention.pruneQuietly();
        runs.abandonDeadRuns();
        files.recover(runs.liveHolders());
        budgets.ensure();
    }

    /**
     * One budget per account, shared by every source of the account (Continu's two APIs) and by every node: its
     * window and its pause are in the database.
     */
    private static RateBudgets budgets(Settings settings, Sources sources, Sinks sinks, DataSource dataSource,
            RequestBounds bounds) throws SQLException {
        Map<String, RateBudget> byAccount = new HashMap<>();
        for (String account : accounts(sources, sinks)) {
            byAccount.put(account, budget(settings, account, dataSource, bounds.limits(account).deadline()));
        }
        return new RateBudgets(byAccount);
    }

    /** The accounts lms-sync calls: each enabled source's, Thrive's with the thrive sink, the LRS's with xapi. */
    private static Set<String> accounts(Sources sources, Sinks sinks) {
        Set<String> accounts = new LinkedHashSet<>();
        sources.enabled().forEach(source -> accounts.add(source.account()));
        if (sinks.has(THRIVE)) {
            accounts.add(ThrivePush.ACCOUNT);
        }
        if (sinks.has(XAPI)) {
            accounts.add(XapiSink.ACCOUNT);
        }
        return accounts;
    }

    /** An account's budget: its requests per period when it has one, the header its vendor counts in if any. */
    private static RateBudget budget(Settings settings, String account, DataSource dataSource, Duration deadline)
            throws SQLException {
        Duration initial = settings.duration("sync.rate-limit.initial-backoff");
        Duration max = settings.duration("sync.rate-limit.max-backoff");
        settings.positiveInt("sync.rate-limit.max-retries");
        int perPeriod = settings.optional(account + ".requests-per-minute").isPresent()
                ? settings.positiveInt(account + ".requests-per-minute") : 0;
        Duration period = Duration.ofMillis(settings.optional(account + ".rate-period-ms").isPresent()
                ? settings.positiveInt(account + ".rate-period-ms") : 60_000);
        // an unanswered request holds its place until its answer can no longer come: its deadline, or sooner the
        // timeouts of a connection and a read
        Duration timeouts = Duration.ofMillis((long) settings.positiveInt("sync.http.connect-timeout-ms")
                + settings.positiveInt("sync.http.response-timeout-ms"));
        Duration inFlight = deadline.compareTo(timeouts) < 0 ? deadline : timeouts;
        return new RateBudget(dataSource, account, perPeriod, period, inFlight,
                settings.optional(account + ".vendor-count-header").orElse(null), initial, max, Clock.systemUTC());
    }

    /**
     * What follows Camel's start, in order: every declared stream has its route, before any route starts; the
     * management gate goes up; then the schedules take sync.time-zone, the MBeans register, and a cluster node reports
     * firings it has no route for.
     */
    private static void whenStarted(CamelContext context, Sources sources, ManagementAccess access, Schedules schedules,
            ControlPlane controlPlane, boolean cluster) throws Exception {
        context.addStartupListener(new ExtendedStartupListener() {
            private boolean guarded;

            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // every declared stream has its route, before any route starts
                SourceRoutes.check(started, sources);
                // the management server listens already: its gate goes up before the routes start
                guarded = access == null || access.guard(started);
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                if (!guarded && !access.guard(started)) {
                    LOG.warn("the management server's router is not there: Jolokia and the status page are not"
                            + " guarded by sync.management.*");
                }
                schedules.apply(started.getComponent("quartz", QuartzComponent.class).getScheduler());
                controlPlane.register();
                if (cluster) {
                    ClusterSchedule.reportFiringsWithoutRoute(started.getComponent("quartz", QuartzComponent.class),
                            started);
                }
            }
        });
    }

    /** Closes a part when Camel stops. */
    private static void closeOnStop(CamelContext context, AutoCloseable part) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                part.close();
            }
        });
    }

    /** The accounts that allow one session per credentials: {@code <account>.one-run-at-a-time=true}. */
    private static Set<String> oneRunAtATime(Settings settings, Sources sources) {
        Set<String> accounts = new HashSet<>();
        for (Source source : sources.enabled()) {
            String key = source.account() + ".one-run-at-a-time";
            if (settings.optional(key).isPresent() && settings.flag(key)) {
                accounts.add(source.account());
            }
        }
        return accounts;
    }

    /**
     * The pool of sync.jdbc.url's database, not yet open: it opens at its first connection ({@link #startUp}), so
     * that every setting is checked before anything touches the database.
     */
    private static HikariDataSource dataSource(Settings settings, int poolSize, DatabaseFaults faults) {
        String url = settings.text("sync.jdbc.url");
        JdbcUrl.registerPasswords(url);
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("lms-sync");
        pool.setJdbcUrl(url);
        pool.setUsername(settings.optional("sync.jdbc.username").orElse(null));
        settings.optional("sync.jdbc.password").map(Secrets::register).ifPresent(pool::setPassword);
        pool.setMaximumPoolSize(poolSize);
        // a connection the database closed under it (H2 after a full disk) is evicted, so the next one reopens it
        pool.setExceptionOverride(faults);
        faults.evictAllWith(() -> {
            if (pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        });
        Dialect.of(url).connectionInitSql().ifPresent(pool::setConnectionInitSql);
        Dialect.of(url).driverProperties().forEach(pool::addDataSourceProperty);
        return pool;
    }

    /** The database could not be opened: what the driver said (masked, as it may quote the URL), naming the setting. */
    private static ConfigurationException cannotOpen(HikariDataSource pool, Exception e) {
        return new ConfigurationException("cannot open the database at sync.jdbc.url (" + JdbcUrl.shown(
                pool.getJdbcUrl()) + "): " + Secrets.mask(rootMessage(e)));
    }

    /**
     * For sources whose pages require headers Camel's HTTP component leaves out of a request without a body
     * (Content-Type on a GET): every header set on the message is sent, Camel's own excepted.
     */
    private static HeaderFilterStrategy requestHeadersAsSet() {
        DefaultHeaderFilterStrategy strategy = new DefaultHeaderFilterStrategy();
        strategy.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setLowerCase(true);
        return strategy;
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
        // the stream's failed summary line says what happened; no second report with a stack trace
        policy.setLogExhausted(false);
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

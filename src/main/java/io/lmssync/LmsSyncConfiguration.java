package io.lmssync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lmssync.ops.ControlPlane;
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
import io.lmssync.sink.thrive.ThrivePush;
import io.lmssync.sink.thrive.ThriveTokenProvider;
import io.lmssync.sync.AccountSlots;
import io.lmssync.sync.ClusterSchedule;
import io.lmssync.sync.PoolSize;
import io.lmssync.sync.Deletions;
import io.lmssync.sync.StreamSlots;
import io.lmssync.sync.Dialect;
import io.lmssync.sync.RecordIndex;
import io.lmssync.sync.Retention;
import io.lmssync.sync.StreamControl;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import io.lmssync.source.AnswerDownload;
import io.lmssync.source.JsonArrayChunks;
import io.lmssync.source.RateBudget;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.SpoolDirectory;
import io.lmssync.source.StaticTokenAuth;
import io.lmssync.source.TokenProvider;
import io.lmssync.source.TokenRenewal;
import io.lmssync.source.Vendor;
import io.lmssync.source.VendorRequest;
import io.lmssync.source.absorb.AbsorbCourses;
import io.lmssync.source.absorb.AbsorbEnrollmentMapper;
import io.lmssync.source.absorb.AbsorbPager;
import io.lmssync.source.absorb.AbsorbTokenProvider;
import io.lmssync.source.continu.ContinuCompletionMapper;
import io.lmssync.source.continu.ContinuContentCompletionMapper;
import io.lmssync.source.continu.ContinuRequests;
import io.lmssync.source.continu.ContinuRoster;
import io.lmssync.source.continu.ContinuTokenProvider;
import io.lmssync.source.moocit.MoocitCompletionMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
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
    /** The Thrive sink's name in sync.sinks, and its account for rate budget and token. */
    private static final String THRIVE = "thrive";

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

        Dialect dialect = Dialect.of(settings.text("sync.jdbc.url"));
        HikariDataSource dataSource = dataSource(settings, PoolSize.of(settings, enabled));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
        if (settings.flag("sync.cluster")) {
            ClusterSchedule.configure(context.getComponent("quartz", QuartzComponent.class), dataSource, dialect,
                    settings);
        }
        // common: the same SQL for both databases; <folder>: what differs (types), and Quartz's tables on PostgreSQL
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.folder())
                .load().migrate();
        Retention retention = Retention.of(dataSource, settings, Clock.systemUTC());
        retention.pruneQuietly();
        context.getPropertiesComponent().addOverrideProperty("sync.jdbc.dialect", dialect.folder());
        sinks.enabledProperties().forEach(context.getPropertiesComponent()::addOverrideProperty);

        Path fileDirectory = Path.of(settings.text("sync.file.directory"));
        Registry registry = context.getRegistry();
        registry.bind("syncDataSource", dataSource);
        registry.bind("retention", retention);
        registry.bind("sinks", sinks);
        registry.bind("keepChunk", new UseOriginalAggregationStrategy());
        registry.bind("vendorRetry", retryPolicy(settings));
        // with the jdbc sink on, a record's last content is in its table: the index does not keep a second copy
        RecordIndex recordIndex = sinks.has("jdbc")
                ? new RecordIndex(dataSource, dialect, new RecordSchema(), LearningRecordRows.COLUMNS,
                        LearningRecordRows::read)
                : new RecordIndex(dataSource, dialect, new RecordSchema());
        registry.bind("recordIndex", recordIndex);
        Deletions deletions = new Deletions(dataSource, recordIndex, chunkSize,
                settings.fraction("sync.delete-guard.max-fraction"),
                settings.positiveInt("sync.delete-guard.min-count"));
        registry.bind("deletions", deletions);
        String node = ManagementFactory.getRuntimeMXBean().getName();
        StreamControl control = new StreamControl(dataSource, Clock.systemUTC(), node);
        StreamSlots slots = new StreamSlots(dataSource, node);
        SyncRuns syncRuns = new SyncRuns(dataSource, tenants, Clock.systemUTC(), control, slots,
                new AccountSlots(slots, oneRunAtATime(settings, enabled)));
        syncRuns.context(context);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                syncRuns.close();
            }
        });
        if (!settings.flag("sync.cluster")) {
            syncRuns.abandonStaleRuns();
        }
        registry.bind("syncRuns", syncRuns);
        StagedFiles files = new StagedFiles(fileDirectory, dataSource, slots.holder());
        files.recover(slots.liveHolders());
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
        // answers a killed process spooled are swept now; this process spools into a folder of its own
        SpoolDirectory spool = SpoolDirectory.claim(Path.of(settings.text("sync.work-directory")));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                spool.close();
            }
        });
        registry.bind("answerDownload", new AnswerDownload(spool.path()));
        registry.bind("jsonArrayChunks", new JsonArrayChunks(chunkSize));

        SyncWindows syncWindows = new SyncWindows(dataSource, settings, Clock.systemUTC());
        registry.bind("syncWindows", syncWindows);
        registry.bind("vendorRequest", (Processor) VendorRequest::prepare);
        RateBudgets budgets = budgets(settings, enabled, sinks.has(THRIVE), dataSource);
        registry.bind("rateBudgets", budgets);
        registry.bind("rateLimited", (Processor) budgets::refused);
        Map<String, TokenProvider> renewable = new HashMap<>();

        if (credentials.containsKey(Vendor.MOOCIT)) {
            String token = credentials.get(Vendor.MOOCIT).get("moocit.token");
            registry.bind("moocitAuth", new StaticTokenAuth("Bearer ", token));
            registry.bind("moocit-course-completions-mapper", new MoocitCompletionMapper());
        }
        if (credentials.containsKey(Vendor.CONTINU) || credentials.containsKey(Vendor.CONTINU_REPORTING)) {
            bindContinu(registry, settings, credentials, renewable);
        }
        if (credentials.containsKey(Vendor.ABSORB)) {
            bindAbsorb(registry, settings, credentials.get(Vendor.ABSORB), renewable);
        }
        if (sinks.has(THRIVE)) {
            bindThrive(registry, settings, dataSource, recordIndex, deadLetters, renewable, chunkSize);
        }
        registry.bind("tokenRenewal", new TokenRenewal(renewable));
        ControlPlane controlPlane = new ControlPlane(context, syncRuns, syncWindows, deletions, budgets, renewable,
                dataSource, settings.flag("camel.main.jmx-enabled"), settings.duration("sync.health.max-pause"));
        context.addService(controlPlane);
        registry.bind("controlPlane", controlPlane);
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                controlPlane.register();
            }
        });
        LOG.info("sinks {}; vendors enabled: {}", sinks.names(),
                enabled.isEmpty() ? "none" : enabled.stream().map(Vendor::key).toList());
    }

    /**
     * One budget per vendor account, shared by every vendor of the account (Continu's two APIs) and by every node: its
     * window and its pause are in the database.
     */
    private static RateBudgets budgets(Settings settings, List<Vendor> enabled, boolean thrive, DataSource dataSource)
            throws SQLException {
        Map<String, RateBudget> byAccount = new HashMap<>();
        Map<String, RateBudget> byVendor = new HashMap<>();
        for (Vendor vendor : enabled) {
            RateBudget budget = byAccount.get(vendor.account());
            if (budget == null) {
                budget = budget(settings, vendor.account(), dataSource);
                byAccount.put(vendor.account(), budget);
            }
            byVendor.put(vendor.key(), budget);
        }
        if (thrive) {
            byVendor.put(THRIVE, budget(settings, THRIVE, dataSource));
        }
        return new RateBudgets(byVendor);
    }

    /** An account's budget: its requests per period when it has one, the header its vendor counts in if any. */
    private static RateBudget budget(Settings settings, String account, DataSource dataSource) throws SQLException {
        Duration initial = settings.duration("sync.rate-limit.initial-backoff");
        Duration max = settings.duration("sync.rate-limit.max-backoff");
        settings.positiveInt("sync.rate-limit.max-retries");
        int perPeriod = settings.optional(account + ".requests-per-minute").isPresent()
                ? settings.positiveInt(account + ".requests-per-minute") : 0;
        Duration period = Duration.ofMillis(settings.optional(account + ".rate-period-ms").isPresent()
                ? settings.positiveInt(account + ".rate-period-ms") : 60_000);
        // an unanswered request holds its place until its answer can no longer come
        Duration inFlight = Duration.ofMillis((long) settings.positiveInt("sync.http.connect-timeout-ms")
                + settings.positiveInt("sync.http.response-timeout-ms"));
        return new RateBudget(dataSource, account, perPeriod, period, inFlight,
                settings.optional(account + ".vendor-count-header").orElse(null), initial, max, Clock.systemUTC());
    }

    /** The accounts whose vendor allows one session per credentials: {@code <account>.one-run-at-a-time=true}. */
    private static Set<String> oneRunAtATime(Settings settings, List<Vendor> enabled) {
        Set<String> accounts = new HashSet<>();
        for (Vendor vendor : enabled) {
            String key = vendor.account() + ".one-run-at-a-time";
            if (settings.optional(key).isPresent() && settings.flag(key)) {
                accounts.add(vendor.account());
            }
        }
        return accounts;
    }

    /** The Thrive push: OAuth2 client credentials when thrive.client-id is set, else Basic with the API secret. */
    private static void bindThrive(Registry registry, Settings settings, DataSource dataSource, RecordIndex recordIndex,
            DeadLetterStore deadLetters, Map<String, TokenProvider> renewable, int chunkSize) {
        URI baseUrl = settings.url("thrive.base-url");
        String tenant = settings.text("thrive.tenant-id");
        settings.positiveInt("thrive.requests-per-minute");
        settings.positiveInt("thrive.rate-period-ms");
        Optional<String> clientId = settings.optional("thrive.client-id");
        if (clientId.isPresent()) {
            ThriveTokenProvider tokens = new ThriveTokenProvider(baseUrl, tenant, clientId.get(),
                    settings.secret("thrive.client-secret", "thrive.client-id is set, so Thrive is reached with OAuth2 "
                            + "client credentials"),
                    settings.text("thrive.scope"), settings.duration("thrive.token-renew-before"), Clock.systemUTC(),
                    Duration.ofMillis(settings.positiveInt("sync.http.connect-timeout-ms")));
            renewable.put(THRIVE, tokens);
            registry.bind("thriveAuth", tokens);
        } else {
            String apiSecret = settings.secret("thrive.api-secret", "thrive is in sync.sinks and needs OAuth2 client "
                    + "credentials (thrive.client-id, THRIVE_CLIENT_ID, and thrive.client-secret) or the API secret");
            registry.bind("thriveAuth", new StaticTokenAuth("Basic ", Secrets.register(Base64.getEncoder()
                    .encodeToString((tenant + ":" + apiSecret).getBytes(StandardCharsets.UTF_8)))));
        }
        registry.bind("thrivePush", new ThrivePush(dataSource, recordIndex, deadLetters,
                Path.of(settings.text("thrive.user-map-file")), Path.of(settings.text("thrive.content-map-file")),
                chunkSize));
    }

    private static void bindContinu(Registry registry, Settings settings, Map<Vendor, Map<String, String>> credentials,
            Map<String, TokenProvider> renewable) {
        ContinuTokenProvider openApiToken = null;
        ContinuRoster roster = null;
        if (credentials.containsKey(Vendor.CONTINU)) {
            Map<String, String> continu = credentials.get(Vendor.CONTINU);
            openApiToken = new ContinuTokenProvider(settings.url("continu.token-url"),
                    continu.get("continu.client-id"), continu.get("continu.client-secret"),
                    settings.duration("continu.token-renew-before"), Clock.systemUTC(),
                    Duration.ofMillis(settings.positiveInt("sync.http.connect-timeout-ms")));
            renewable.put(Vendor.CONTINU.key(), openApiToken);
            roster = new ContinuRoster(Path.of(settings.text("continu.roster-file")));
            roster.emails(); // readable and holds someone: checked at start-up, and again at every run
            for (String stream : List.of("assessments", "assignments", "tracks", "workshops")) {
                registry.bind("continu-" + stream + "-mapper",
                        new ContinuCompletionMapper(stream.substring(0, stream.length() - 1)));
            }
        }
        StaticTokenAuth reportingAuth = null;
        if (credentials.containsKey(Vendor.CONTINU_REPORTING)) {
            reportingAuth = new StaticTokenAuth(settings.optional("continu-reporting.token-prefix").orElse(""),
                    credentials.get(Vendor.CONTINU_REPORTING).get("continu-reporting.token"));
            registry.bind("continu-reporting-content-completions-mapper", new ContinuContentCompletionMapper());
        }
        registry.bind("continuRequests", new ContinuRequests(settings.text("continu.base-url"), openApiToken, roster,
                settings.positiveInt("continu.roster-batch-size"), settings.text("continu-reporting.base-url"), reportingAuth, settings.list("continu-reporting.fields"),
                settings.text("continu-reporting.range-target")));
    }

    private static void bindAbsorb(Registry registry, Settings settings, Map<String, String> credentials,
            Map<String, TokenProvider> renewable) {
        int pageSize = settings.positiveInt("absorb.page-size");
        if (pageSize > 1000) {
            throw new ConfigurationException("absorb.page-size must be at most 1000 (Absorb's largest _limit), not "
                    + pageSize);
        }
        String baseUrl = settings.text("absorb.base-url");
        // one token per credentials: Absorb invalidates the previous token on every /authenticate
        AbsorbTokenProvider token = new AbsorbTokenProvider(baseUrl, credentials.get("absorb.username"),
                credentials.get("absorb.password"), credentials.get("absorb.api-key"),
                settings.duration("absorb.token-lifetime"), settings.duration("absorb.token-renew-before"),
                Clock.systemUTC(), Duration.ofMillis(settings.positiveInt("sync.http.connect-timeout-ms")));
        renewable.put(Vendor.ABSORB.key(), token);
        registry.bind("absorbPager", new AbsorbPager(baseUrl, pageSize, token));
        List<String> lessons = settings.list("absorb.lesson-ids");
        if (settings.flag("absorb.lesson-enrollments")) {
            if (lessons.isEmpty() || lessons.stream().anyMatch(l -> !l.matches("[^/]+/[^/]+"))) {
                throw new ConfigurationException("absorb.lesson-ids must name the lessons to read as courseId/lessonId"
                        + " (comma-separated) when absorb.lesson-enrollments=true, not '" + String.join(",", lessons)
                        + "'");
            }
        }
        registry.bind("absorbCourses", new AbsorbCourses(settings.list("absorb.course-ids"), lessons));
        registry.bind("absorb-course-enrollments-mapper", new AbsorbEnrollmentMapper("course_enrollment"));
        registry.bind("absorb-lesson-enrollments-mapper", new AbsorbEnrollmentMapper("lesson_enrollment"));
    }

    private static HikariDataSource dataSource(Settings settings, int poolSize) {
        String url = settings.text("sync.jdbc.url");
        JdbcUrl.registerPasswords(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("lms-sync");
        config.setJdbcUrl(url);
        config.setUsername(settings.optional("sync.jdbc.username").orElse(null));
        settings.optional("sync.jdbc.password").map(Secrets::register).ifPresent(config::setPassword);
        config.setMaximumPoolSize(poolSize);
        Dialect.of(config.getJdbcUrl()).connectionInitSql().ifPresent(config::setConnectionInitSql);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // the driver's own words may quote the URL: masked as every secret is
            throw new ConfigurationException("cannot open the database at sync.jdbc.url (" + JdbcUrl.shown(url)
                    + "): " + Secrets.mask(rootMessage(e)));
        }
    }

    /**
     * For vendors whose pages require headers Camel's HTTP component leaves out of a request without a body
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

package io.lmssync;

import io.lmssync.check.CheckStore;
import io.lmssync.check.FirstContact;
import io.lmssync.ops.ControlPlane;
import io.lmssync.ops.ManagementAccess;
import io.lmssync.ops.ManagementPort;
import io.lmssync.sink.StagedFiles;
import io.lmssync.sink.Sinks;
import io.lmssync.sync.ClusterAgreement;
import io.lmssync.sync.ClusterSchedule;
import io.lmssync.sync.StreamSlots;
import io.lmssync.sync.FollowUps;
import io.lmssync.sync.Retention;
import io.lmssync.sync.Schedules;
import io.lmssync.sync.Schema;
import io.lmssync.sync.SyncRuns;
import io.lmssync.source.AnswerDownload;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.RequestBounds;
import io.lmssync.source.Source;
import io.lmssync.source.SourceRoutes;
import io.lmssync.source.Sources;
import io.lmssync.source.SpoolDirectory;
import io.lmssync.source.TokenProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.Registry;
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
    static final String THRIVE = "thrive";
    /** The xAPI sink's name in sync.sinks. */
    static final String XAPI = "xapi";

    /**
     * The start, in its order. Every setting is read and checked and every part built first, with the database's pool
     * not yet open, area by area (each binds the beans the routes name): the database, the routes' steps, the
     * streams, what the store keeps, the runs, the sinks, the calls to the vendors, the first-contact check, the
     * control plane, and what follows Camel's start ({@link #whenStarted}). Only then do the start-up steps that touch
     * the database and the files run ({@link #startUp}), a cluster node join its cluster, and the spool get swept and
     * claimed. A wrong setting so stops the start before a migration runs or another process's state is looked at.
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
        ManagementAccess access = management(settings);
        holdSchedulesForOnePass(context, settings);
        boolean cluster = settings.flag("sync.cluster");

        Registry registry = context.getRegistry();
        Database database = database(context, settings, sources, cluster);
        Retention retention = Retention.of(database.pool(), settings, Clock.systemUTC());
        registry.bind("retention", retention);
        Path fileDirectory = Path.of(settings.text("sync.file.directory"));
        RouteSteps.bind(registry, settings, chunkSize);
        Map<String, TokenProvider> tokens = new HashMap<>();
        FollowUps followUps = declareStreams(registry, settings, sources, database, tokens);
        RecordStore store = RecordStore.bind(registry, settings, sinks, database, followUps, chunkSize);
        RunBookkeeping runs = RunBookkeeping.bind(context, settings, sources, database, tokens);
        Delivery delivery = Delivery.bind(registry, settings, sinks, database, fileDirectory, runs.slots(), chunkSize);
        VendorCalls calls = VendorCalls.bind(context, settings, sources, sinks, database);
        FirstContact firstContact = firstContact(context, settings, sources, sinks, database, runs, calls);
        delivery.bindPushSinks(registry, settings, sinks, database, store, tokens, calls.budgets(), chunkSize);
        ControlPlane controlPlane = controlPlane(context, settings, sources, database, store, runs, calls, tokens,
                firstContact);
        whenStarted(context, sources, access, schedules, controlPlane, cluster);

        startUp(database, retention, runs.syncRuns(), delivery.files(), calls.budgets());
        joinCluster(context, settings, sources, sinks, database, runs.slots(), cluster);
        spool(context, settings, calls.bounds());
        LOG.info("sinks {}; sources enabled: {}", sinks.names(),
                sources.enabled().isEmpty() ? "none" : sources.enabled().stream().map(Source::key).toList());
    }

    /** One pass, started by the run-once driver ({@code --once}, a check, a replay): the schedules must not fire. */
    private static void holdSchedulesForOnePass(CamelContext context, Settings settings) {
        if (settings.flag("sync.run-once")) {
            quartz(context).setAutoStartScheduler(false);
        }
    }

    /** The management server's port and gate, checked; the gate, or null without a management server. */
    private static ManagementAccess management(Settings settings) {
        ManagementPort.check(settings);
        return settings.flag("camel.management.enabled") ? ManagementAccess.of(settings) : null;
    }

    /**
     * The database's pool, made but not opened, closed when Camel stops: a cluster's schedules are kept there, and
     * the jdbc sink's SQL files are its dialect's.
     */
    private static Database database(CamelContext context, Settings settings, Sources sources, boolean cluster)
            throws Exception {
        Database database = Database.of(settings, sources);
        closeOnStop(context, database.pool()::close);
        if (cluster) {
            ClusterSchedule.configure(quartz(context), database.pool(), database.dialect(), settings);
        }
        // the jdbc sink's SQL files for the database of sync.jdbc.url (routes/deliver.camel.yaml)
        context.getPropertiesComponent().addOverrideProperty("sync.jdbc.dialect", database.dialect().folder());
        context.getRegistry().bind("syncDataSource", database.pool());
        return database;
    }

    /**
     * Each source declares its streams with their parts; their routes are made from the stream templates. A child
     * stream reads a partition for each record of its parent that reaches the sinks new or changed: the follow-ups.
     */
    private static FollowUps declareStreams(Registry registry, Settings settings, Sources sources, Database database,
            Map<String, TokenProvider> tokens) {
        FollowUps followUps = new FollowUps(database.pool(), Clock.systemUTC());
        sources.declare(followUps, tokens, Clock.systemUTC());
        registry.bind("sourceRoutes", new SourceRoutes(sources, settings));
        return followUps;
    }

    /** The first-contact check, which a stream's first sync waits for: a stream whose check failed does not start. */
    private static FirstContact firstContact(CamelContext context, Settings settings, Sources sources, Sinks sinks,
            Database database, RunBookkeeping runs, VendorCalls calls) {
        FirstContact firstContact = new FirstContact(context, sources, settings, calls.budgets(), runs.accounts(),
                new CheckStore(database.pool()), Clock.systemUTC(), sinks.has(THRIVE));
        context.getRegistry().bind("firstContact", firstContact);
        runs.syncRuns().gate(firstContact::refuses);
        return firstContact;
    }

    /** How operators see and steer the service, a Camel service: its MBeans, checks and meters come once started. */
    private static ControlPlane controlPlane(CamelContext context, Settings settings, Sources sources,
            Database database, RecordStore store, RunBookkeeping runs, VendorCalls calls,
            Map<String, TokenProvider> tokens, FirstContact firstContact) throws Exception {
        ControlPlane controlPlane = new ControlPlane(context, sources, runs.syncRuns(), calls.sourceRuns(),
                calls.windows(), store.deletions(), calls.budgets(), tokens, firstContact, database.pool(),
                database.faults(), settings.flag("camel.main.jmx-enabled"), settings.duration("sync.health.max-pause"));
        context.addService(controlPlane);
        context.getRegistry().bind("controlPlane", controlPlane);
        return controlPlane;
    }

    /**
     * The start-up steps that touch the database, in the order they need: the pool opens (a database that cannot be
     * reached stops the start, naming the setting); the schema first (every other step reads it); the bookkeeping
     * pruned; the runs of processes that died marked abandoned and their slots freed (only those: another process may
     * be running on the same database, a rolling deploy or a cron {@code --once}); the committed files of those
     * processes moved into place and their uncommitted ones deleted (never a live process's); the accounts' budget
     * rows made.
     */
    private static void startUp(Database database, Retention retention, SyncRuns runs, StagedFiles files,
            RateBudgets budgets) throws Exception {
        LOG.debug("the database answers: {}", database.open());
        Schema.migrate(database.pool(), database.dialect());
        retention.pruneQuietly();
        runs.abandonDeadRuns();
        files.recover(runs.liveHolders());
        budgets.ensure();
    }

    /**
     * A node that takes the cluster's schedules must run what they fire: it agrees with the others on the parts of the
     * whole it runs ({@link ClusterParts}), and leaves the agreement when Camel stops. A one-pass process (--once, a
     * check, a replay) takes none, and may run a part of the whole (Continu's Reporting API beside a node's Open API).
     */
    private static void joinCluster(CamelContext context, Settings settings, Sources sources, Sinks sinks,
            Database database, StreamSlots slots, boolean cluster) throws Exception {
        if (!cluster || settings.flag("sync.run-once")) {
            return;
        }
        ClusterAgreement agreement = new ClusterAgreement(database.pool(), slots.holder(),
                ClusterParts.of(settings, sources, sinks), slots::goneFromThisHost);
        agreement.join(settings.flag("sync.cluster.allow-differing"));
        closeOnStop(context, agreement::close);
    }

    /** Answers a killed process spooled are swept now; this process spools into a folder of its own. */
    private static void spool(CamelContext context, Settings settings, RequestBounds bounds) throws Exception {
        SpoolDirectory spool = SpoolDirectory.claim(Path.of(settings.text("sync.work-directory")));
        closeOnStop(context, spool::close);
        context.getRegistry().bind("answerDownload", new AnswerDownload(spool.path(),
                settings.positiveLong("sync.work-directory.keep-free-bytes"), bounds));
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
    static void closeOnStop(CamelContext context, AutoCloseable part) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                part.close();
            }
        });
    }

    private static QuartzComponent quartz(CamelContext context) {
        return context.getComponent("quartz", QuartzComponent.class);
    }
}

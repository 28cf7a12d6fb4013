package io.lmssync.ops;

import io.lmssync.check.FirstContact;
import io.lmssync.sync.DatabaseFaults;
import io.lmssync.sync.Deletions;
import io.lmssync.sync.SourceRuns;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import io.lmssync.source.CachedTokenProvider;
import io.lmssync.source.RateBudget;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.Source;
import io.lmssync.source.Stream;
import io.lmssync.source.Sources;
import io.lmssync.source.TokenProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How operators see and steer lms-sync, set up once the routes run: a view of every stream of the enabled sources
 * ({@link Sources}) and every account, offered as MBeans in the platform MBeanServer
 * ({@code lms-sync:type=stream,source=<source>,name=<stream>}, {@code lms-sync:type=account,name=<account>}), as one
 * readiness check per source in /observe/health, as per-stream and per-account meters in /observe/metrics, and on the
 * status page (/observe/status).
 */
public final class ControlPlane extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final CamelContext context;
    private final Sources sources;
    private final SyncRuns runs;
    private final SourceRuns sourceRuns;
    private final SyncWindows windows;
    private final Deletions deletions;
    private final RateBudgets budgets;
    private final Map<String, TokenProvider> tokens;
    private final FirstContact firstContact;
    private final DataSource dataSource;
    private final DatabaseFaults faults;
    private final boolean jmx;
    private final Duration maxPause;
    private final Clock clock = Clock.systemUTC();
    private final List<ObjectName> registered = new ArrayList<>();
    private final Map<String, StreamView> views = new java.util.concurrent.ConcurrentHashMap<>();

    public ControlPlane(CamelContext context, Sources sources, SyncRuns runs, SourceRuns sourceRuns,
            SyncWindows windows, Deletions deletions, RateBudgets budgets, Map<String, TokenProvider> tokens,
            FirstContact firstContact, DataSource dataSource, DatabaseFaults faults, boolean jmx, Duration maxPause) {
        this.context = context;
        this.sources = sources;
        this.runs = runs;
        this.sourceRuns = sourceRuns;
        this.windows = windows;
        this.deletions = deletions;
        this.budgets = budgets;
        this.tokens = tokens;
        this.firstContact = firstContact;
        this.dataSource = dataSource;
        this.faults = faults;
        this.jmx = jmx;
        this.maxPause = maxPause;
    }

    /** Sets everything up; call once the routes are started. */
    public synchronized void register() throws JMException {
        Map<String, List<StreamView>> bySource = new LinkedHashMap<>();
        for (Source source : sources.enabled()) {
            for (Stream stream : sources.declared(source.key())) {
                bySource.computeIfAbsent(source.key(), key -> new ArrayList<>()).add(new StreamView(stream, runs, sourceRuns, windows, deletions, firstContact,
                        dataSource, clock));
            }
        }
        List<StreamView> streams = bySource.values().stream().flatMap(List::stream).toList();
        streams.forEach(view -> views.put(view.getStream(), view));

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new DatabaseHealthCheck(dataSource, faults, runs.control().node()));
            bySource.forEach((source, views) -> health.register(new SourceHealthCheck(source, views, maxPause, clock)));
        }
        StatusQueries queries = new StatusQueries(dataSource);
        NextFire schedules = new NextFire(context);
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters != null) {
            HeldReadings held = new HeldReadings(meters);
            StreamMetrics.bind(meters, held, streams, queries, schedules);
            AccountMetrics.bind(meters, held, budgets.accounts());
        }
        StatusPage.mount(context, new StatusReport(streams, budgets.accounts(), queries, schedules,
                firstContact.store(), clock));
        if (jmx) {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (StreamView view : streams) {
                register(server, new ObjectName("lms-sync:type=stream,source=" + view.getSource() + ",name="
                        + view.getStream().substring(view.getSource().length() + 1)),
                        new CallerAwareMBean<>(view, StreamMBean.class));
            }
            for (RateBudget budget : budgets.accounts()) {
                TokenProvider provider = tokens.get(budget.account());
                register(server, new ObjectName("lms-sync:type=account,name=" + budget.account()),
                        new DescribedMBean<>(new AccountView(budget,
                                provider instanceof CachedTokenProvider cached ? cached : null, clock),
                                AccountMBean.class));
            }
        }
        LOG.info("control plane: {} stream(s); health checks {}; metrics {}; {} MBean(s) under lms-sync:*",
                streams.size(), health != null ? "on" : "off", meters != null ? "on" : "off", registered.size());
    }

    /** Starts a run of every stream now, in the background, as runNow does (a --demo service, so its page is not
     * empty for an hour); what each said. */
    public List<String> runEveryStreamNow() {
        return views.keySet().stream().sorted().map(stream -> views.get(stream).runNow()).toList();
    }

    /** A stream's view, whose operations the command line uses too ({@code --apply-held}); empty for no such stream. */
    public Optional<StreamMBean> stream(String stream) {
        return Optional.ofNullable(views.get(stream));
    }

    private void register(MBeanServer server, ObjectName name, StandardMBean bean) throws JMException {
        if (server.isRegistered(name)) {
            LOG.warn("JMX: {} is registered already (another lms-sync in this JVM?): not registered again", name);
            return;
        }
        server.registerMBean(bean, name);
        registered.add(name);
    }


    @Override
    protected void doStart() {
        // register() runs once the routes are started
    }

    @Override
    protected synchronized void doStop() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : registered) {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        }
        registered.clear();
    }
}

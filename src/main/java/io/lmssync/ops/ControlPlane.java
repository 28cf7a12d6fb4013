package io.lmssync.ops;

import io.lmssync.sync.Deletions;
import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import io.lmssync.source.CachedTokenProvider;
import io.lmssync.source.RateBudget;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.TokenProvider;
import io.lmssync.source.Vendor;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How operators see and steer lms-sync, set up once the routes run: a view of every stream (the routes that opt into
 * vendor-stream-errors) and every account, offered as MBeans in the platform MBeanServer
 * ({@code lms-sync:type=stream,vendor=<vendor>,name=<stream>}, {@code lms-sync:type=account,name=<account>}), as one
 * readiness check per vendor in /observe/health, and as per-stream and per-account meters in /observe/metrics.
 */
public final class ControlPlane extends ServiceSupport {

    /** The exchange properties that tell dead-letter-retry which stream to replay. */
    static final String VENDOR = "lmsVendor";
    static final String STREAM = "lmsStream";

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    private static final String STREAM_ROUTES = "vendor-stream-errors";

    private final CamelContext context;
    private final SyncRuns runs;
    private final SyncWindows windows;
    private final Deletions deletions;
    private final RateBudgets budgets;
    private final Map<String, TokenProvider> tokens;
    private final DataSource dataSource;
    private final boolean jmx;
    private final Duration maxPause;
    private final Clock clock = Clock.systemUTC();
    private final List<ObjectName> registered = new ArrayList<>();
    private final Map<String, StreamView> views = new java.util.concurrent.ConcurrentHashMap<>();
    private ProducerTemplate template;

    public ControlPlane(CamelContext context, SyncRuns runs, SyncWindows windows, Deletions deletions,
            RateBudgets budgets, Map<String, TokenProvider> tokens, DataSource dataSource, boolean jmx,
            Duration maxPause) {
        this.context = context;
        this.runs = runs;
        this.windows = windows;
        this.deletions = deletions;
        this.budgets = budgets;
        this.tokens = tokens;
        this.dataSource = dataSource;
        this.jmx = jmx;
        this.maxPause = maxPause;
    }

    /** Sets everything up; call once the routes are started. */
    public synchronized void register() throws JMException {
        template = context.createProducerTemplate();
        Map<String, List<StreamView>> byVendor = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            Optional<Vendor> vendor = Vendor.ofStream(route.getId());
            if (STREAM_ROUTES.equals(route.getConfigurationId()) && vendor.isPresent()) {
                byVendor.computeIfAbsent(vendor.get().key(), v -> new ArrayList<>()).add(new StreamView(
                        vendor.get().key(), route.getId(), vendor.get().windowed(),
                        route.getEndpoint().getEndpointUri(), runs, windows, deletions, dataSource, template, clock));
            }
        }
        List<StreamView> streams = byVendor.values().stream().flatMap(List::stream).toList();
        streams.forEach(view -> views.put(view.getStream(), view));

        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            byVendor.forEach((vendor, views) -> health.register(new VendorHealthCheck(vendor, views, maxPause, clock)));
        }
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters != null) {
            StreamMetrics.bind(meters, streams);
            AccountMetrics.bind(meters, budgets.accounts());
        }
        if (jmx) {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (StreamView view : streams) {
                register(server, new ObjectName("lms-sync:type=stream,vendor=" + view.getVendor() + ",name="
                        + view.getStream().substring(view.getVendor().length() + 1)),
                        new StandardMBean(view, StreamMBean.class));
            }
            for (RateBudget budget : budgets.accounts()) {
                TokenProvider provider = tokens.get(budget.account());
                register(server, new ObjectName("lms-sync:type=account,name=" + budget.account()),
                        new StandardMBean(new AccountView(budget,
                                provider instanceof CachedTokenProvider cached ? cached : null, clock),
                                AccountMBean.class));
            }
        }
        LOG.info("control plane: {} stream(s); health checks {}; metrics {}; {} MBean(s) under lms-sync:*",
                streams.size(), health != null ? "on" : "off", meters != null ? "on" : "off", registered.size());
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
        if (template != null) {
            template.close();
        }
    }
}

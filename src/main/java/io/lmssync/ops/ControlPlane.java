package io.lmssync.ops;

import io.lmssync.sync.SyncRuns;
import io.lmssync.sync.SyncWindows;
import io.lmssync.vendor.CachedTokenProvider;
import io.lmssync.vendor.RateBudget;
import io.lmssync.vendor.RateBudgets;
import io.lmssync.vendor.TokenProvider;
import io.lmssync.vendor.Vendor;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lms-sync's MBeans in the platform MBeanServer, registered once the routes run and gone when the service stops:
 * {@code lms-sync:type=stream,vendor=<vendor>,name=<stream>} for every stream route (the routes that opt into
 * vendor-stream-errors) and {@code lms-sync:type=account,name=<account>} for every vendor account and Thrive.
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
    private final RateBudgets budgets;
    private final Map<String, TokenProvider> tokens;
    private final DataSource dataSource;
    private final List<ObjectName> registered = new ArrayList<>();
    private ProducerTemplate template;

    public ControlPlane(CamelContext context, SyncRuns runs, SyncWindows windows, RateBudgets budgets,
            Map<String, TokenProvider> tokens, DataSource dataSource) {
        this.context = context;
        this.runs = runs;
        this.windows = windows;
        this.budgets = budgets;
        this.tokens = tokens;
        this.dataSource = dataSource;
    }

    /** Registers the MBeans; call once the routes are started. */
    public synchronized void register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        template = context.createProducerTemplate();
        for (Route route : context.getRoutes()) {
            if (!STREAM_ROUTES.equals(route.getConfigurationId()) || route.getId().equals("dead-letter-retry")) {
                continue;
            }
            Optional<Vendor> vendor = vendorOf(route.getId());
            if (vendor.isEmpty()) {
                continue;
            }
            String name = route.getId().substring(vendor.get().key().length() + 1);
            register(server, new ObjectName("lms-sync:type=stream,vendor=" + vendor.get().key() + ",name=" + name),
                    new StandardMBean(new StreamView(vendor.get().key(), route.getId(), vendor.get().windowed(),
                            route.getEndpoint().getEndpointUri(), runs, windows, dataSource, template,
                            Clock.systemUTC()), StreamMBean.class));
        }
        for (RateBudget budget : budgets.accounts()) {
            TokenProvider provider = tokens.get(budget.account());
            register(server, new ObjectName("lms-sync:type=account,name=" + budget.account()),
                    new StandardMBean(new AccountView(budget, provider instanceof CachedTokenProvider cached ? cached
                            : null, Clock.systemUTC()), AccountMBean.class));
        }
        LOG.info("JMX: {} lms-sync MBeans under lms-sync:*", registered.size());
    }

    private void register(MBeanServer server, ObjectName name, StandardMBean bean) throws JMException {
        if (server.isRegistered(name)) {
            LOG.warn("JMX: {} is registered already (another lms-sync in this JVM?): not registered again", name);
            return;
        }
        server.registerMBean(bean, name);
        registered.add(name);
    }

    /** The vendor whose key starts the route id (the longest: continu-reporting before continu). */
    private static Optional<Vendor> vendorOf(String routeId) {
        return Arrays.stream(Vendor.values()).filter(v -> routeId.startsWith(v.key() + "-"))
                .max(Comparator.comparingInt(v -> v.key().length()));
    }

    @Override
    protected void doStart() {
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

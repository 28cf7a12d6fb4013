package io.lmssync.sync;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * {@code sync.cluster=true}: the schedules live in Quartz's clustered JDBC job store, in the PostgreSQL database the
 * sync state lives in (Flyway creates its tables), so that several lms-sync nodes fire each trigger once between
 * them, and the others take over the schedules of a node that dies (after {@code sync.cluster.checkin-interval-ms}).
 * Every node needs the same {@code camel.main.name}.
 */
public final class ClusterSchedule {

    private static final String DATA_SOURCE = "lmsSync";

    private ClusterSchedule() {
    }

    public static void configure(QuartzComponent quartz, DataSource dataSource, Dialect dialect, Settings settings) {
        if (dialect != Dialect.POSTGRESQL) {
            throw new ConfigurationException("sync.cluster=true needs sync.jdbc.url on PostgreSQL: the nodes share "
                    + "their schedules through its Quartz tables (an embedded H2 cannot be shared)");
        }
        // Quartz takes its connections from lms-sync's pool
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool is lms-sync's; it closes it
            }

            @Override
            public void initialize() {
            }
        });
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", settings.text("camel.main.name"));
        properties.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount",
                String.valueOf(settings.positiveInt("sync.cluster.threads")));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        // lms-sync's cron triggers (Schedules) are kept as themselves
        properties.setProperty("org.quartz.jobStore.driverDelegateInitString",
                "triggerPersistenceDelegateClasses=" + DaylightSafeCronTriggerPersistence.class.getName());
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        // a fire more than 5 s late (its node died holding it) runs once now, not once per missed fire: one run
        // reads everything the missed ones would have
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                String.valueOf(settings.positiveInt("sync.cluster.checkin-interval-ms")));
        quartz.setProperties(properties);
        // one node stopping must not delete the schedules the others run
        quartz.setPrefixInstanceName(false);
    }

    /**
     * Once the scheduler runs: a trigger that fires on this node for a job it has no route for (its configuration
     * differs from the cluster's, sync.cluster.allow-differing) is an error in the log, not the DEBUG line Camel's
     * job writes when it drops the firing.
     */
    public static void reportFiringsWithoutRoute(QuartzComponent quartz, org.apache.camel.CamelContext context)
            throws org.quartz.SchedulerException {
        quartz.getScheduler().getListenerManager().addJobListener(new org.quartz.listeners.JobListenerSupport() {
            @Override
            public String getName() {
                return "lms-sync-firings-without-route";
            }

            @Override
            public void jobToBeExecuted(org.quartz.JobExecutionContext firing) {
                org.quartz.JobKey job = firing.getJobDetail().getKey();
                String uri = "quartz://" + job.getGroup() + "/" + job.getName();
                boolean routed = context.getRoutes().stream()
                        .anyMatch(route -> route.getEndpoint().getEndpointUri().startsWith(uri));
                if (!routed) {
                    org.slf4j.LoggerFactory.getLogger(ClusterSchedule.class).error("the schedule {}/{} fired on this"
                            + " node, which has no route for it: this firing is lost here (the nodes' routes or "
                            + "sources differ; see cluster_node)", job.getGroup(), job.getName());
                }
            }
        });
    }
}

package io.lmssync.sync;

import io.lmssync.Settings;
import io.lmssync.source.Source;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many database connections a node needs, for {@code sync.jdbc.pool-size} left empty. A run under way holds at
 * most one connection at a time (its steps open and close their own, one after the other). Runs at once: one per
 * schedule of the enabled sources (a windowed source has two, the sync and the reconciliation), at most
 * {@code sync.cluster.threads} in a cluster (Quartz's workers run them), and as many again for runs an operator or a
 * queued run starts meanwhile. A cluster's Quartz also takes one each for its scheduler, check-in and misfire threads.
 * Two more serve the stream slots' renewer and JMX, health and metrics reads. Never fewer than 4.
 */
public final class PoolSize {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSize.class);
    private static final int QUARTZ_OWN_THREADS = 3;
    private static final int SERVICE = 2;
    private static final int LEAST = 4;

    private PoolSize() {
    }

    /** The pool size to use: the setting when given (a warning when it is below the need), else the need. */
    public static int of(Settings settings, List<Source> enabled) {
        boolean cluster = settings.flag("sync.cluster");
        int needed = needed(enabled, cluster, cluster ? settings.positiveInt("sync.cluster.threads") : 0);
        if (settings.optional("sync.jdbc.pool-size").isEmpty()) {
            return needed;
        }
        int configured = settings.positiveInt("sync.jdbc.pool-size");
        if (configured < needed) {
            LOG.warn("sync.jdbc.pool-size={} is below the {} connections this node may use at once ({}): runs may "
                    + "wait for a connection; leave it empty to size it so", configured, needed, cluster
                    ? "Quartz's threads and its own, and the runs they start" : "the runs its schedules start");
        }
        return configured;
    }

    /** The connections a node may use at once. */
    static int needed(List<Source> enabled, boolean cluster, int quartzThreads) {
        int schedules = enabled.stream().mapToInt(s -> s.windowed() ? 2 : 1).sum();
        int scheduled = cluster ? Math.min(schedules, quartzThreads) : schedules;
        return Math.max(LEAST, 2 * scheduled + (cluster ? QUARTZ_OWN_THREADS : 0) + SERVICE);
    }
}

package io.lmssync.sync;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the run queued behind one that just ended ({@link StreamSlots} keeps the queue, across nodes) through its
 * stream's route, in the background; counts those under way, which a process that runs one pass waits for.
 */
final class QueuedRuns {

    /** SyncRuns' lines, as they were before this part left it: an operator's log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);

    private final AtomicInteger running = new AtomicInteger();
    private volatile CamelContext context;

    /** The context whose routes run queued runs. */
    void context(CamelContext camel) {
        this.context = camel;
    }

    /** Starts the stream's queued sync, or reconciliation, without waiting for it. */
    void start(String stream, boolean reconcile) {
        Route route = context == null ? null : context.getRoute(stream);
        if (route == null) {
            LOG.warn("{}: a queued run cannot start here (no such route); the next scheduled run covers it", stream);
            return;
        }
        LOG.info("{}: starting the {} queued behind the run that ended", stream, reconcile ? "reconciliation" : "sync");
        running.incrementAndGet();
        ProducerTemplate template = context.createProducerTemplate();
        template.asyncSendBody(route.getEndpoint(), reconcile ? SyncRun.Mode.RECONCILE : SyncRun.Mode.SYNC)
                .whenComplete((exchange, failure) -> {
            running.decrementAndGet();
            try {
                template.close();
            } catch (Exception e) {
                LOG.debug("cannot close a producer template", e);
            }
        });
    }

    /** Whether queued runs started here are still under way. */
    boolean running() {
        return running.get() > 0;
    }
}

package io.lmssync.sync;

import io.lmssync.Settings;
import io.lmssync.vendor.Vendor;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --once}: one pass of every enabled vendor, one after the other, and an exit code that says how it went. */
public final class RunOnce {

    /** Every stream succeeded. */
    public static final int OK = 0;
    /** At least one stream failed; its summary line says why. */
    public static final int STREAM_FAILED = 1;
    /** Nothing could run: the configuration is wrong or no vendor is enabled. */
    public static final int NOT_RUN = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RunOnce.class);

    private RunOnce() {
    }

    public static int run(CamelContext context) {
        Settings settings = new Settings(context.getPropertiesComponent());
        List<Vendor> enabled = Vendor.enabledIn(settings);
        if (enabled.isEmpty()) {
            LOG.error("no vendor is enabled: set <vendor>.enabled=true (for example MOOCIT_ENABLED=true)");
            return NOT_RUN;
        }
        SyncRuns runs = context.getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class);
        long before = runs.endedCount();
        boolean escaped = false;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (Vendor vendor : enabled) {
                Exchange done = template.send(vendor.runEndpoint(), exchange -> { });
                if (done.getException() != null) {
                    escaped = true;
                    LOG.error("{} run failed: {}", vendor.displayName(), done.getException().getMessage());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the producer template", e);
        }
        List<SyncRun> finished = runs.endedSince(before);
        long failed = finished.stream().filter(r -> r.status() != SyncRun.Status.SUCCEEDED).count();
        LOG.info("run-once finished: {} stream(s), {} succeeded, {} failed", finished.size(),
                finished.size() - failed, failed);
        return failed == 0 && !escaped ? OK : STREAM_FAILED;
    }
}

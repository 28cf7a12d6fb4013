package io.lmssync.sync;

import io.lmssync.Settings;
import io.lmssync.ops.Caller;
import io.lmssync.ops.ControlPlane;
import io.lmssync.ops.StreamMBean;
import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --once}: one pass of every enabled source (a sync, or with {@code --reconcile} a reconciliation), one after
 * the other, or applying held deletions ({@code --apply-held}); and an exit code that says how it went.
 */
public final class RunOnce {

    /** Every stream succeeded. */
    public static final int OK = 0;
    /** At least one stream failed; its summary line says why. */
    public static final int STREAM_FAILED = 1;
    /** Nothing could run: the configuration is wrong or no source is enabled. */
    public static final int NOT_RUN = 2;
    /** Every stream succeeded, but a full pull held deletions for an operator (its summary line says held=n). */
    public static final int DELETIONS_HELD = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RunOnce.class);

    private RunOnce() {
    }

    /**
     * One pass of every enabled source; a reconciliation of every stream when {@code reconcile}.
     *
     * @param destinations where records go, fit to show (no secrets), for the table the run ends with
     */
    public static int run(CamelContext context, boolean reconcile, List<String> destinations) {
        List<Source> enabled = new Sources(new Settings(context.getPropertiesComponent())).enabled();
        if (enabled.isEmpty()) {
            LOG.error("no source is enabled: set <source>.enabled=true, <source> one of {} (for example {}=true)",
                    Sources.all().stream().map(Source::key).toList(),
                    Settings.environmentVariable(Sources.all().get(0).key() + ".enabled"));
            return NOT_RUN;
        }
        SyncRuns runs = syncRuns(context);
        SourceRuns sourceRuns = context.getRegistry().lookupByNameAndType("sourceRuns", SourceRuns.class);
        long before = runs.endedCount();
        boolean escaped = false;
        for (Source source : enabled) {
            escaped |= !sourceRuns.run(source.key(), reconcile ? SyncRun.Mode.RECONCILE : SyncRun.Mode.SYNC);
        }
        // a run that met a busy stream follows it: wait for those too
        while (runs.followUpsRunning()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return exitCode(runs.endedSince(before), escaped, destinations);
    }

    /**
     * Applies the held deletions of the named streams (each a stream route id, such as moocit-course-completions),
     * as the stream's JMX operation does (audited).
     */
    public static int applyHeld(CamelContext context, List<String> streams, List<String> destinations) {
        return operate(context, "--apply-held", streams, StreamMBean::applyHeldDeletions,
                (stream, outcome) -> outcome.startsWith(stream + " (apply)") || outcome.endsWith("holds no deletions"),
                destinations);
    }

    /**
     * Replays the named streams' raw archives (then their dead letters) through today's mappers, as the stream's JMX
     * operation {@code replayArchive} does (audited): no request reaches a source.
     */
    public static int replay(CamelContext context, List<String> streams, List<String> destinations) {
        return operate(context, "--replay", streams, StreamMBean::replayArchive,
                (stream, outcome) -> outcome.startsWith(stream + " (remap)"), destinations);
    }

    /** An operator's operation on each named stream, as JMX runs it; refused when a name is no enabled stream. */
    private static int operate(CamelContext context, String option, List<String> streams,
            Function<StreamMBean, String> operation, BiPredicate<String, String> ran, List<String> destinations) {
        ControlPlane controlPlane = context.getRegistry().lookupByNameAndType("controlPlane", ControlPlane.class);
        for (String stream : streams) {
            if (controlPlane.stream(stream).isEmpty()) {
                LOG.error("{} names '{}', which is not a stream of an enabled source", option, stream);
                return NOT_RUN;
            }
        }
        SyncRuns runs = syncRuns(context);
        long before = runs.endedCount();
        int refused = 0;
        for (String stream : streams) {
            StreamMBean view = controlPlane.stream(stream).get();
            String outcome = Caller.as(Caller.commandLine(), () -> operation.apply(view));
            LOG.info("{}: {}", option, outcome);
            if (!ran.test(stream, outcome)) {
                refused++;
            }
        }
        return exitCode(runs.endedSince(before), refused > 0, destinations);
    }

    private static int exitCode(List<SyncRun> finished, boolean escaped, List<String> destinations) {
        long failed = finished.stream().filter(r -> r.status() != SyncRun.Status.SUCCEEDED).count();
        long held = finished.stream().filter(r -> r.held() > 0).count();
        // one event, so the table stays whole in the JSON log format too
        LOG.info("run-once finished: {} stream(s), {} succeeded, {} failed{}\n{}", finished.size(),
                finished.size() - failed, failed, held == 0 ? "" : ", " + held + " holding deletions for an operator",
                RunTable.of(finished, destinations).stripTrailing());
        if (failed > 0 || escaped) {
            return STREAM_FAILED;
        }
        return held > 0 ? DELETIONS_HELD : OK;
    }

    private static SyncRuns syncRuns(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class);
    }
}

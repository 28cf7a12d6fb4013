package io.lmssync.ops;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * When a source's schedules fire next, as Quartz has them: the triggers of {@code quartz:lms-sync/<source>} (its
 * syncs) and {@code quartz:lms-sync/<source>-reconcile} (routes/stream-templates.camel.yaml), group {@code lms-sync}.
 * In a cluster the trigger is the cluster's, whichever node it fires on. The trigger is lms-sync's own, in
 * sync.time-zone ({@link io.lmssync.sync.Schedules}): its next fire time is when the run really starts, on a day a
 * daylight-saving change skips the cron's time too.
 */
final class NextFire {

    private static final String GROUP = "lms-sync";

    private final CamelContext context;

    NextFire(CamelContext context) {
        this.context = context;
    }

    /** The next sync of the source; empty when it has no such schedule (or Quartz is away). */
    Optional<Instant> sync(String source) {
        return quietly(source);
    }

    /** The next reconciliation of the source; empty for a source without one. */
    Optional<Instant> reconcile(String source) {
        return quietly(reconcileJob(source));
    }

    /** The job of a source's reconciliation schedule. */
    static String reconcileJob(String source) {
        return source + "-reconcile";
    }

    private Optional<Instant> quietly(String job) {
        try {
            return next(job);
        } catch (SchedulerException e) {
            return Optional.empty(); // a clustered job store whose database is away: shown as unknown
        }
    }

    /** When the job ({@code <source>} or {@link #reconcileJob}) fires next; empty when it has no trigger. */
    Optional<Instant> next(String job) throws SchedulerException {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        Trigger trigger = scheduler == null ? null : scheduler.getTrigger(TriggerKey.triggerKey(job, GROUP));
        Date next = trigger == null ? null : trigger.getNextFireTime();
        return Optional.ofNullable(next).map(Date::toInstant);
    }
}

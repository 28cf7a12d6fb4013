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
 * When a stream's schedules fire next, as Quartz has them: the triggers of {@code quartz:lms-sync/<job>}
 * ({@link io.lmssync.source.Stream#syncJob}, {@link io.lmssync.source.Stream#reconcileJob}), group {@code lms-sync}.
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

    /** When the job fires next ({@link io.lmssync.source.Stream#syncJob}, {@code reconcileJob}); empty when it has
     * no trigger, or Quartz is away (a clustered job store whose database is: shown as unknown). */
    Optional<Instant> next(String job) {
        try {
            return fire(job);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    private Optional<Instant> fire(String job) throws SchedulerException {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        Trigger trigger = scheduler == null ? null : scheduler.getTrigger(TriggerKey.triggerKey(job, GROUP));
        Date next = trigger == null ? null : trigger.getNextFireTime();
        return Optional.ofNullable(next).map(Date::toInstant);
    }
}

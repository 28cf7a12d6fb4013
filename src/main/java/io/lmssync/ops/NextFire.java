package io.lmssync.ops;

import java.time.Duration;
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

    private static final Duration WEEK = Duration.ofDays(7);
    /** Enough for a cron every 10 seconds for a day; a schedule that fires more often has short gaps anyway. */
    private static final int MAX_FIRINGS = 10_000;

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

    /**
     * The longest wait between two firings of the job's schedule in the coming week (an hour for an hourly cron, a
     * day for a daily one, the weekend for a weekdays-only one): what "no recent success" is measured against. Empty
     * when the schedule fires once or never in that week, or Quartz is away.
     */
    Optional<Duration> longestGap(String job) {
        try {
            Optional<Trigger> trigger = trigger(job);
            if (trigger.isEmpty() || trigger.get().getNextFireTime() == null) {
                return Optional.empty();
            }
            Date fire = trigger.get().getNextFireTime();
            Date end = Date.from(fire.toInstant().plus(WEEK));
            Duration longest = null;
            for (int i = 0; i < MAX_FIRINGS; i++) {
                Date after = trigger.get().getFireTimeAfter(fire);
                if (after == null || after.after(end)) {
                    break;
                }
                Duration gap = Duration.between(fire.toInstant(), after.toInstant());
                longest = longest == null || gap.compareTo(longest) > 0 ? gap : longest;
                fire = after;
            }
            return Optional.ofNullable(longest);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    private Optional<Instant> fire(String job) throws SchedulerException {
        return trigger(job).map(Trigger::getNextFireTime).map(Date::toInstant);
    }

    private Optional<Trigger> trigger(String job) throws SchedulerException {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        return Optional.ofNullable(scheduler == null ? null : scheduler.getTrigger(TriggerKey.triggerKey(job, GROUP)));
    }
}

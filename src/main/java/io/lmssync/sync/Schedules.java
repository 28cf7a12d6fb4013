package io.lmssync.sync;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.text.ParseException;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lms-sync's Quartz schedules, all in one time zone, {@code sync.time-zone} (UTC unless set, whatever the JVM's zone):
 * the zone is checked at start-up, every cron trigger of the {@code lms-sync} group becomes a
 * {@link DaylightSafeCronTrigger} in it, and a stream's own cron is read the same way ({@link #next}).
 */
public final class Schedules {

    /** The setting. */
    public static final String TIME_ZONE = "sync.time-zone";
    /** The Quartz group of every schedule lms-sync makes ({@code quartz:lms-sync/...} in the routes). */
    public static final String GROUP = "lms-sync";

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

    private final TimeZone zone;

    public Schedules(TimeZone zone) {
        this.zone = zone;
    }

    /** {@code sync.time-zone}, checked: Quartz would read an unknown zone as GMT without a word. */
    public static Schedules of(Settings settings) {
        String id = settings.text(TIME_ZONE);
        TimeZone zone = TimeZone.getTimeZone(id);
        if (!zone.getID().equals(id)) {
            throw new ConfigurationException(TIME_ZONE + " is not a time zone Java knows: '" + id + "' (use UTC, or a "
                    + "region such as Europe/Berlin or America/New_York)");
        }
        return new Schedules(zone);
    }

    public TimeZone zone() {
        return zone;
    }

    /** The cron's first time after {@code after}, as lms-sync's triggers fire it (in the zone, no day skipped). */
    public Date next(String cron, Date after) {
        return DaylightSafeCronTrigger.next(DaylightSafeCronTrigger.in(cron, zone), after);
    }

    /**
     * Every cron trigger of the lms-sync group, once Camel scheduled it, becomes a {@link DaylightSafeCronTrigger} in
     * the zone, firing from now on. One already in the zone stays (a cluster's trigger, which another node put in
     * place): a trigger of a clustered job store keeps the zone it was made in, and Camel replaces it only when its
     * cron changes.
     */
    public void apply(Scheduler scheduler) throws SchedulerException {
        for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
            Trigger trigger = scheduler.getTrigger(key);
            if (!(trigger instanceof CronTrigger cron)
                    || trigger instanceof DaylightSafeCronTrigger && cron.getTimeZone().getID().equals(zone.getID())) {
                continue;
            }
            try {
                scheduler.rescheduleJob(key, DaylightSafeCronTrigger.replacing(cron, zone, new Date()));
            } catch (ParseException e) {
                throw new IllegalStateException("the schedule " + key + " has a cron Quartz no longer reads: "
                        + e.getMessage(), e);
            }
            LOG.debug("schedule {} ({}) in {}", key, cron.getCronExpression(), zone.getID());
        }
    }
}

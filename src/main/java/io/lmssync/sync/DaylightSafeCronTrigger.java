package io.lmssync.sync;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronExpression;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.impl.triggers.CronTriggerImpl;

/**
 * A Quartz cron trigger that does not skip a day whose firing time a spring-forward removes. Quartz's own cron trigger
 * skips it (02:15 on 2026-03-29 in Europe/Berlin does not exist, so that day has no firing); this one fires when the
 * clock has jumped, later by the gap, as java.time resolves such a time (02:15 becomes 03:15 CEST). Other times are
 * Quartz's, a time a fall-back repeats included (it fires once).
 */
public final class DaylightSafeCronTrigger extends CronTriggerImpl {

    private static final long serialVersionUID = 1L;

    /** The trigger lms-sync puts in place of a cron trigger Camel created: the same key, job, cron and settings. */
    static DaylightSafeCronTrigger replacing(CronTrigger trigger, TimeZone zone, Date startAt) throws ParseException {
        DaylightSafeCronTrigger replacement = new DaylightSafeCronTrigger();
        replacement.setKey(trigger.getKey());
        replacement.setJobKey(trigger.getJobKey());
        replacement.setDescription(trigger.getDescription());
        replacement.setCronExpression(trigger.getCronExpression());
        replacement.setTimeZone(zone);
        replacement.setMisfireInstruction(trigger.getMisfireInstruction());
        replacement.setCalendarName(trigger.getCalendarName());
        replacement.setPriority(trigger.getPriority());
        replacement.setJobDataMap(trigger.getJobDataMap());
        replacement.setStartTime(startAt);
        replacement.setEndTime(trigger.getEndTime());
        return replacement;
    }

    @Override
    protected Date getTimeAfter(Date after) {
        return next(in(getCronExpression(), getTimeZone()), after);
    }

    /**
     * Not Quartz's cron trigger to a JDBC job store (sync.cluster): stored as one, it would come back as Quartz's own
     * and skip the day again. {@link DaylightSafeCronTriggerPersistence} stores it.
     */
    @Override
    public boolean hasAdditionalProperties() {
        return true;
    }

    @Override
    public ScheduleBuilder<CronTrigger> getScheduleBuilder() {
        return new DaylightSafeCronTriggerPersistence.Schedule(getCronExpression(), getTimeZone(),
                getMisfireInstruction());
    }

    /** The cron's first time after {@code after} in the expression's zone, a time a spring-forward skips included. */
    static Date next(CronExpression zoned, Date after) {
        Date quartz = zoned.getTimeAfter(after);
        ZoneId zone = zoned.getTimeZone().toZoneId();
        // the cron read on the wall clock (a zone without jumps), starting from what the clock showed at 'after'
        CronExpression wallClock = in(zoned.getCronExpression(), TimeZone.getTimeZone("UTC"));
        LocalDateTime shown = LocalDateTime.ofInstant(after.toInstant(), zone);
        Date wallNext = wallClock.getTimeAfter(Date.from(shown.toInstant(ZoneOffset.UTC)));
        if (wallNext == null) {
            return quartz;
        }
        LocalDateTime wall = LocalDateTime.ofInstant(wallNext.toInstant(), ZoneOffset.UTC);
        if (!zone.getRules().getValidOffsets(wall).isEmpty()) {
            return quartz; // the clock shows that time: Quartz fires it
        }
        // a time the clock skips: it fires when the clock has jumped, later by the gap
        Instant shifted = wall.atZone(zone).toInstant();
        boolean earlier = quartz == null || shifted.isBefore(quartz.toInstant());
        return shifted.isAfter(after.toInstant()) && earlier ? Date.from(shifted) : quartz;
    }

    /** A cron read in a zone; the expression was checked when the trigger was made. */
    static CronExpression in(String cron, TimeZone zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(zone);
            return expression;
        } catch (ParseException e) {
            throw new IllegalStateException("the cron '" + cron + "' is not valid: " + e.getMessage(), e);
        }
    }
}

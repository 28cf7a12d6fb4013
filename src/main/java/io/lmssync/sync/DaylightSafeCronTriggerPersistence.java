package io.lmssync.sync;

import java.text.ParseException;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.ScheduleBuilder;
import org.quartz.impl.jdbcjobstore.SimplePropertiesTriggerPersistenceDelegateSupport;
import org.quartz.impl.jdbcjobstore.SimplePropertiesTriggerProperties;
import org.quartz.spi.MutableTrigger;
import org.quartz.spi.OperableTrigger;

/**
 * How Quartz's JDBC job store (sync.cluster) keeps a {@link DaylightSafeCronTrigger}: its cron and zone in the table
 * of simple-property triggers, under a type of its own, so that it comes back as itself. (Quartz 2.5.2 cannot read back
 * a trigger it stored serialised, its way for other trigger classes: quartz-scheduler/quartz#1457.)
 */
public final class DaylightSafeCronTriggerPersistence extends SimplePropertiesTriggerPersistenceDelegateSupport {

    /** The trigger type in QRTZ_TRIGGERS. */
    static final String TYPE = "LMS_CRON";

    @Override
    public boolean canHandleTriggerType(OperableTrigger trigger) {
        return trigger instanceof DaylightSafeCronTrigger;
    }

    @Override
    public String getHandledTriggerTypeDiscriminator() {
        return TYPE;
    }

    @Override
    protected SimplePropertiesTriggerProperties getTriggerProperties(OperableTrigger trigger) {
        DaylightSafeCronTrigger cron = (DaylightSafeCronTrigger) trigger;
        SimplePropertiesTriggerProperties properties = new SimplePropertiesTriggerProperties();
        properties.setString1(cron.getCronExpression());
        properties.setString2(cron.getTimeZone().getID());
        return properties;
    }

    @Override
    protected TriggerPropertyBundle getTriggerPropertyBundle(SimplePropertiesTriggerProperties properties) {
        return new TriggerPropertyBundle(new Schedule(properties.getString1(),
                TimeZone.getTimeZone(properties.getString2()), CronTrigger.MISFIRE_INSTRUCTION_SMART_POLICY),
                new String[0], new Object[0]);
    }

    /** What builds a {@link DaylightSafeCronTrigger} (the job store sets its key, times and misfire instruction). */
    static final class Schedule extends ScheduleBuilder<CronTrigger> {
        private final String cron;
        private final TimeZone zone;
        private final int misfireInstruction;

        Schedule(String cron, TimeZone zone, int misfireInstruction) {
            this.cron = cron;
            this.zone = zone;
            this.misfireInstruction = misfireInstruction;
        }

        @Override
        protected MutableTrigger build() {
            DaylightSafeCronTrigger trigger = new DaylightSafeCronTrigger();
            try {
                trigger.setCronExpression(cron);
            } catch (ParseException e) {
                throw new IllegalStateException("the stored cron '" + cron + "' is not valid: " + e.getMessage(), e);
            }
            trigger.setTimeZone(zone);
            trigger.setMisfireInstruction(misfireInstruction);
            return trigger;
        }
    }
}

package io.lmssync.sync;

import io.lmssync.source.Sources;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs: a source's streams one after the other (its schedule, {@code --once}), or one stream (JMX, a queued
 * run). Each run is an exchange of its own sent to the stream's route ({@code direct:<stream>}) with its
 * {@link SyncRun.Mode} as the body, so a stream that fails does not stop the next one, and nothing of the trigger
 * reaches the stream.
 */
public final class SourceRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRuns.class);

    private final Sources sources;
    private final CamelContext context;
    private final Schedules schedules;
    private ProducerTemplate template;

    public SourceRuns(Sources sources, CamelContext context, Schedules schedules) {
        this.sources = sources;
        this.context = context;
        this.schedules = schedules;
    }

    /** The schedule's step: every stream of the source, as a sync or a reconciliation ({@code mode}). */
    public void start(Exchange trigger, String source, String mode) {
        SyncRun.Mode runMode = SyncRun.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        Date previous = trigger.getMessage().getHeader("previousFireTime", Date.class);
        Date fired = trigger.getMessage().getHeader("scheduledFireTime", Date.class);
        run(source, runMode, stream -> runMode != SyncRun.Mode.SYNC || reached(source, stream, previous, fired));
    }

    /**
     * Whether a stream with a cron of its own (a daily Continu report group under the hourly source) is due on this
     * firing: its cron has a time after the source's previous firing and not after this one. A first firing runs it.
     */
    private boolean reached(String source, String stream, Date previous, Date fired) {
        Optional<String> cron = sources.cron(source, stream);
        boolean due = cron.isEmpty() || reached(schedules, cron.get(), previous, fired);
        if (!due) {
            LOG.debug("{}: not due on this firing (its own cron is {})", stream, cron.get());
        }
        return due;
    }

    /**
     * Whether the cron has a time after {@code previous} and not after {@code fired}, read as lms-sync's triggers read
     * it (in sync.time-zone, a time a spring-forward skips included); true without a previous.
     */
    static boolean reached(Schedules schedules, String cron, Date previous, Date fired) {
        if (previous == null || fired == null) {
            return true;
        }
        Date next = schedules.next(cron, previous);
        return next != null && !next.after(fired);
    }

    /**
     * Every stream of the source, one after the other; false when a failure escaped a stream's error handler (its
     * run, if it began, ended as failed with the reason).
     */
    public boolean run(String source, SyncRun.Mode mode) {
        return run(source, mode, stream -> true);
    }

    private boolean run(String source, SyncRun.Mode mode, Predicate<String> due) {
        boolean ok = true;
        for (String stream : sources.streams(source)) {
            if (!due.test(stream)) {
                continue;
            }
            Exchange done = template().send("direct:" + stream, exchange -> exchange.getMessage().setBody(mode));
            if (done.getException() != null) {
                ok = false;
                LOG.error("{}: the run failed: {}", stream, done.getException().getMessage());
            }
        }
        return ok;
    }

    /** One run of a stream; the exchange it ran on (its {@link SyncRun#PROPERTY}, null when it did not begin). */
    public Exchange runStream(String stream, SyncRun.Mode mode) {
        return template().send("direct:" + stream, exchange -> exchange.getMessage().setBody(mode));
    }

    /** One run of a stream, in the background. */
    public void startStream(String stream, SyncRun.Mode mode) {
        template().asyncSendBody("direct:" + stream, mode);
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    /** The service stops. */
    public synchronized void close() throws Exception {
        if (template != null) {
            template.close();
            template = null;
        }
    }
}

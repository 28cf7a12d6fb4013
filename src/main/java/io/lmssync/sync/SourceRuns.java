package io.lmssync.sync;

import io.lmssync.source.Sources;
import io.lmssync.Settings;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs: a schedule's streams one after the other ({@code --once}: every stream of a source), or one stream
 * (JMX, a queued run). Each run is an exchange of its own sent to the stream's route ({@code direct:<stream>}) with its
 * {@link SyncRun.Mode} as the body, so a stream that fails does not stop the next one, and nothing of the trigger
 * reaches the stream.
 */
public final class SourceRuns {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRuns.class);

    private final Sources sources;
    private final CamelContext context;
    private ProducerTemplate template;

    public SourceRuns(Sources sources, CamelContext context) {
        this.sources = sources;
        this.context = context;
    }

    /**
     * A schedule's step ({@code routes/stream-templates.camel.yaml}): its streams ({@code a,b,c}), one after the
     * other, as a sync or a reconciliation ({@code mode}).
     */
    public void start(String streams, String mode) {
        run(Settings.split(streams), SyncRun.Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
    }

    /**
     * Every stream of the source, one after the other; false when a failure escaped a stream's error handler (its
     * run, if it began, ended as failed with the reason).
     */
    public boolean run(String source, SyncRun.Mode mode) {
        return run(sources.streams(source), mode);
    }

    private boolean run(List<String> streams, SyncRun.Mode mode) {
        boolean ok = true;
        for (String stream : streams) {
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

package io.lmssync.sync;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Sends the body to an endpoint on an exchange of its own that carries only the run ({@link SyncRun#PROPERTY}):
 * nothing of the caller's exchange (a source call's headers, its URI, its request) reaches the work done there, and
 * a failure there fails the caller. The Thrive push runs this way, inside a stream's delivery.
 */
public final class OwnExchange {

    private final CamelContext context;
    private ProducerTemplate template;

    public OwnExchange(CamelContext context) {
        this.context = context;
    }

    public void send(Exchange caller, String endpoint) throws Exception {
        Exchange done = template().send(endpoint, own -> {
            own.setProperty(SyncRun.PROPERTY, caller.getProperty(SyncRun.PROPERTY));
            own.getMessage().setBody(caller.getMessage().getBody());
        });
        if (done.getException() != null) {
            throw done.getException();
        }
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }
}

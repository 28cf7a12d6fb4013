package io.lmssync.source;

import io.lmssync.ops.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the Authorization header to HTTP Basic credentials (RFC 7617: a user name and a password, UTF-8, Base64).
 * A bean, so the password never appears in a route definition, a route dump or a JMX attribute; the encoded pair is
 * a secret too (masked in every log line), since Base64 hides nothing.
 */
public final class BasicAuth implements Processor {

    private final String headerValue;

    public BasicAuth(String user, String password) {
        this.headerValue = "Basic " + Secrets.register(Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The header's value, registered as a secret: for a caller that sends its own requests (the xapi sink). */
    public String headerValue() {
        return headerValue;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization", headerValue);
    }

    @Override
    public String toString() {
        return "BasicAuth[******]";
    }
}

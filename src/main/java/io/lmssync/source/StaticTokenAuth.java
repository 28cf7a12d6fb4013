package io.lmssync.source;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the Authorization header from a long-lived token held in the settings. It is a bean, not a YAML expression,
 * so the token never appears in a route definition, a route dump or a JMX attribute.
 */
public final class StaticTokenAuth implements Processor {

    private final String headerValue;

    public StaticTokenAuth(String prefix, String token) {
        this.headerValue = prefix + token;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization", headerValue);
    }

    @Override
    public String toString() {
        return "StaticTokenAuth[******]";
    }
}

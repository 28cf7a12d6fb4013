package io.lmssync.source;

import java.net.URI;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * One call to a vendor, as a stream's request plan describes it: method, full URI (query included), JSON body or
 * none, and the processor that authenticates it. Carried on the exchange as {@link #PROPERTY}; the vendor's gateway
 * route turns it into the HTTP call ({@link #prepare}) after waiting its turn in the account's budget.
 */
public record VendorRequest(String method, URI uri, String jsonBody, Processor auth, AnswerShape shape) {

    public static final String PROPERTY = "lmsVendorRequest";

    public VendorRequest(String method, URI uri, String jsonBody, Processor auth) {
        this(method, uri, jsonBody, auth, AnswerShape.ARRAY);
    }

    /** Sets the HTTP method, URI, body and credentials of the exchange for the gateway's HTTP endpoint. */
    public static void prepare(Exchange exchange) throws Exception {
        VendorRequest request = exchange.getProperty(PROPERTY, VendorRequest.class);
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.HTTP_URI, request.uri().toString());
        if (request.jsonBody() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(request.jsonBody());
        } else {
            message.setBody(null);
        }
        request.auth().process(exchange);
    }

    @Override
    public String toString() {
        return method + " " + uri; // never the credentials
    }
}

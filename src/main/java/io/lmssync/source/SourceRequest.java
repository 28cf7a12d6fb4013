package io.lmssync.source;

import java.net.URI;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * One call to a source's (or Thrive's) API as a request plan describes it: the account it spends, method, full URI
 * (query included), JSON body or none, headers, the part that authenticates it, and where the records sit in the
 * answer. Carried on the exchange under {@link #PROPERTY}, which only Java reads: the account's gateway route waits
 * its turn in the account's budget ({@code rateBudgets}), then turns it into the HTTP call ({@link #prepare}).
 */
public final class SourceRequest {

    public static final String PROPERTY = "lmsRequest";

    private final String account;
    private final String method;
    private final URI uri;
    private final String jsonBody;
    private final Map<String, String> headers;
    private final Processor auth;
    private final AnswerShape shape;
    private boolean tokenRenewed;

    public SourceRequest(String account, String method, URI uri, String jsonBody, Map<String, String> headers,
            Processor auth, AnswerShape shape) {
        this.account = account;
        this.method = method;
        this.uri = uri;
        this.jsonBody = jsonBody;
        this.headers = Map.copyOf(headers);
        this.auth = auth;
        this.shape = shape;
    }

    /** The request of the exchange, or null outside a call. */
    public static SourceRequest of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, SourceRequest.class);
    }

    /** Puts the request on the exchange for the gateway. */
    public void on(Exchange exchange) {
        exchange.setProperty(PROPERTY, this);
    }

    public String account() { return account; }
    public AnswerShape shape() { return shape; }
    public String method() { return method; }
    public URI uri() { return uri; }
    public String body() { return jsonBody; }

    /** The names of the headers the request sends (lower case), its credentials' aside. */
    public java.util.Set<String> headerNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        headers.keySet().forEach(name -> names.add(name.toLowerCase(java.util.Locale.ROOT)));
        names.add("content-type");
        return names;
    }

    /** The same request at another URI (a probe of the plan's path with other parameters). */
    public SourceRequest at(URI other) {
        return new SourceRequest(account, method, other, jsonBody, headers, auth, shape);
    }

    /** The same request with another body. */
    public SourceRequest withBody(String json) {
        return new SourceRequest(account, method, uri, json, headers, auth, shape);
    }

    /** Sets the HTTP method, URI, body, headers and credentials of the exchange for the gateway's HTTP endpoint. */
    public static void prepare(Exchange exchange) throws Exception {
        SourceRequest request = of(exchange);
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_METHOD, request.method);
        message.setHeader(Exchange.HTTP_URI, request.uri.toString());
        request.headers.forEach(message::setHeader);
        if (request.jsonBody != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(request.jsonBody);
        } else {
            message.setBody(null);
        }
        request.auth.process(exchange);
    }

    /**
     * After a 401/403 (the error handler's retryWhile): a token that can be renewed is dropped once for this request,
     * which is then sent again; a second refusal, or a fixed credential, fails it.
     */
    public synchronized boolean renewTokenOnce() {
        if (tokenRenewed || !(auth instanceof TokenProvider tokens)) {
            return false;
        }
        tokens.invalidate();
        tokenRenewed = true;
        return true;
    }

    @Override
    public String toString() {
        return method + " " + uri; // never the credentials
    }
}

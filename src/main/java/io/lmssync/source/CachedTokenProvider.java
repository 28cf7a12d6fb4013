package io.lmssync.source;

import io.lmssync.ops.Secrets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vendor token held once per account and shared by every route of the vendor: fetched when first needed, renewed
 * {@code renewBefore} ahead of its expiry and after a 401 ({@link #invalidate}). Subclasses say how to fetch one.
 */
public abstract class CachedTokenProvider implements Processor, TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CachedTokenProvider.class);

    /** A token and when it stops working. */
    public record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expires " + expiresAt + "]";
        }
    }

    protected final Clock clock;
    private final Duration renewBefore;
    private final HttpClient http;
    private Token token;

    protected CachedTokenProvider(Duration renewBefore, Clock clock, Duration connectTimeout) {
        this.renewBefore = renewBefore;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** Fetch a new token from the vendor. */
    protected abstract Token fetch() throws IOException, InterruptedException;

    /** Headers every call of the vendor carries besides the token. */
    protected void addHeaders(Message message) {
    }

    @Override
    public void process(Exchange exchange) throws IOException, InterruptedException {
        Message message = exchange.getMessage();
        message.setHeader("Authorization", "Bearer " + token());
        addHeaders(message);
    }

    /** The cached token, fetched anew when there is none or it expires within {@code renewBefore}. */
    public synchronized String token() throws IOException, InterruptedException {
        if (token == null || !clock.instant().isBefore(token.expiresAt().minus(renewBefore))) {
            Token fresh = fetch();
            Secrets.register(fresh.value());
            token = fresh;
            LOG.info("{} token renewed; it expires at {}", getClass().getSimpleName(), fresh.expiresAt());
        }
        return token.value();
    }

    @Override
    public synchronized void invalidate() {
        token = null;
    }

    public synchronized Instant expiresAt() {
        return token == null ? null : token.expiresAt();
    }

    /** POSTs a JSON body; the answer's status and body. */
    protected HttpResponse<String> postJson(URI uri, String json, String... headers)
            throws IOException, InterruptedException {
        return post(uri, "application/json", json, headers);
    }

    /** POSTs a body of the given type; the answer's status and body. */
    protected HttpResponse<String> post(URI uri, String contentType, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The token endpoint refused the credentials: no retry can help. */
    public static final class CredentialsRejectedException extends RuntimeException {
        public CredentialsRejectedException(String message) {
            super(message);
        }
    }
}

package io.lmssync.vendor.continu;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.ops.Secrets;
import io.lmssync.record.Json;
import io.lmssync.vendor.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continu's Open API token: one per account, shared by every Continu route. Fetched by a JSON-body POST to
 * {@code continu.token-url}; Continu's {@code expires_in} is an absolute Unix time, not a number of seconds. The token
 * is renewed {@code renewBefore} ahead of its expiry, and after a 401 ({@link #invalidate}).
 */
public final class ContinuTokenProvider implements Processor, TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuTokenProvider.class);

    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final Duration renewBefore;
    private final Clock clock;
    private final HttpClient http;
    private String token;
    private Instant expiresAt = Instant.EPOCH;

    public ContinuTokenProvider(URI tokenUrl, String clientId, String clientSecret, Duration renewBefore, Clock clock,
            Duration timeout) {
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.renewBefore = renewBefore;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public void process(Exchange exchange) throws IOException, InterruptedException {
        exchange.getMessage().setHeader("Authorization", "Bearer " + token());
    }

    /** The cached token, fetched anew when there is none or it expires within {@code renewBefore}. */
    public synchronized String token() throws IOException, InterruptedException {
        if (token == null || !clock.instant().isBefore(expiresAt.minus(renewBefore))) {
            fetch();
        }
        return token;
    }

    @Override
    public synchronized void invalidate() {
        token = null;
    }

    public synchronized Instant expiresAt() {
        return expiresAt;
    }

    private void fetch() throws IOException, InterruptedException {
        String body = Json.write(Map.of("client_id", clientId, "client_secret", clientSecret));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new CredentialsRejectedException("Continu rejected the client credentials at continu.token-url (HTTP "
                    + response.statusCode() + "): check continu.client-id (CONTINU_CLIENT_ID) and "
                    + "continu.client-secret (CONTINU_CLIENT_SECRET)");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Continu's token endpoint answered HTTP " + response.statusCode());
        }
        JsonNode answer = Json.MAPPER.readTree(response.body());
        String accessToken = Json.text(answer, "access_token");
        if (accessToken == null || !answer.path("expires_in").canConvertToLong()) {
            throw new IOException("Continu's token answer has no access_token or expires_in");
        }
        long expiresIn = answer.path("expires_in").asLong();
        Instant now = clock.instant();
        // the contract says absolute Unix seconds; a small number can only be a duration, so read it as one
        Instant expiry = expiresIn < 1_000_000_000L ? now.plusSeconds(expiresIn) : Instant.ofEpochSecond(expiresIn);
        token = Secrets.register(accessToken);
        expiresAt = expiry;
        LOG.info("Continu token renewed; it expires at {}", expiry);
    }

    /** The token endpoint refused the client credentials: no retry can help. */
    public static final class CredentialsRejectedException extends RuntimeException {
        public CredentialsRejectedException(String message) {
            super(message);
        }
    }
}

package io.lmssync.source.continu;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.Json;
import io.lmssync.source.CachedTokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Continu's Open API token, one per account: a JSON-body POST of the client credentials to
 * {@code continu.token-url}. Continu's {@code expires_in} is an absolute Unix time, not a number of seconds.
 */
public final class ContinuTokenProvider extends CachedTokenProvider {

    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;

    public ContinuTokenProvider(URI tokenUrl, String clientId, String clientSecret, Duration renewBefore, Clock clock,
            Duration timeout) {
        super(renewBefore, clock, timeout);
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    @Override
    protected Token fetch() throws IOException, InterruptedException {
        HttpResponse<String> response = postJson(tokenUrl,
                Json.write(Map.of("client_id", clientId, "client_secret", clientSecret)));
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
        // the contract says absolute Unix seconds; a small number can only be a duration, so read it as one
        Instant expiry = expiresIn < 1_000_000_000L ? clock.instant().plusSeconds(expiresIn)
                : Instant.ofEpochSecond(expiresIn);
        return new Token(accessToken, expiry);
    }
}

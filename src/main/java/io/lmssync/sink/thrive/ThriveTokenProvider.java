package io.lmssync.sink.thrive;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.ops.Secrets;
import io.lmssync.record.Json;
import io.lmssync.source.CachedTokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Thrive's OAuth2 client credentials: {@code POST {base-url}/oauth2/token/{tenantId}}, form-encoded
 * {@code grant_type=client_credentials&scope=...}, the client authenticated with HTTP Basic (RFC 6749 4.4). One token
 * for the tenant, valid an hour ({@code expires_in} seconds), renewed ahead of its end and once on a 401.
 */
public final class ThriveTokenProvider extends CachedTokenProvider {

    private static final long DEFAULT_LIFETIME_SECONDS = 3600;

    private final URI tokenUrl;
    private final String clientAuth;
    private final String scope;

    public ThriveTokenProvider(URI baseUrl, String tenantId, String clientId, String clientSecret, String scope,
            Duration renewBefore, Clock clock, Duration timeout) {
        super(renewBefore, clock, timeout);
        this.tokenUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/oauth2/token/"
                + URLEncoder.encode(tenantId, StandardCharsets.UTF_8));
        this.clientAuth = "Basic " + Secrets.register(Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
        this.scope = scope;
    }

    @Override
    protected Token fetch() throws IOException, InterruptedException {
        HttpResponse<String> response = post(tokenUrl, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8),
                "Authorization", clientAuth);
        if (response.statusCode() == 400 || response.statusCode() == 401 || response.statusCode() == 403) {
            throw new CredentialsRejectedException("Thrive rejected the client credentials at " + tokenUrl + " (HTTP "
                    + response.statusCode() + "): check thrive.tenant-id, thrive.client-id (THRIVE_CLIENT_ID), "
                    + "thrive.client-secret (THRIVE_CLIENT_SECRET) and thrive.scope");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Thrive's token endpoint answered HTTP " + response.statusCode());
        }
        JsonNode answer = Json.MAPPER.readTree(response.body());
        String accessToken = Json.text(answer, "access_token");
        if (accessToken == null) {
            throw new IOException("Thrive's token answer has no access_token");
        }
        long lifetime = answer.path("expires_in").canConvertToLong() ? answer.path("expires_in").asLong()
                : DEFAULT_LIFETIME_SECONDS;
        return new Token(accessToken, clock.instant().plusSeconds(lifetime));
    }
}

package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.ops.Secrets;
import io.lmssync.record.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * OAuth2 client credentials (an auth part): a POST to the token URL, the credentials in a JSON body (Continu) or, as
 * RFC 6749 4.4 has it, form-encoded with the client as HTTP Basic (Thrive); the answer's {@code access_token}, and its
 * {@code expires_in} as seconds or as an absolute Unix time (Continu sends the latter; a value too small for a date is
 * read as seconds), an hour when missing. One token for the account, renewed ahead of its end and once on a 401.
 */
public final class ClientCredentialsToken extends CachedTokenProvider {

    /** How the token request carries the credentials. */
    public enum Body { JSON, FORM_WITH_BASIC }

    private static final long DEFAULT_LIFETIME_SECONDS = 3600;

    private final URI tokenUrl;
    private final Body body;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Function<String, String> rejected;

    /**
     * @param scope    the scope asked for, or null
     * @param rejected what to say when the token URL refuses the credentials, given how ("HTTP 401 at ...")
     */
    public ClientCredentialsToken(URI tokenUrl, Body body, String clientId, String clientSecret, String scope,
            Function<String, String> rejected, Duration renewBefore, Clock clock, Duration timeout) {
        super(renewBefore, clock, timeout);
        this.tokenUrl = tokenUrl;
        this.body = body;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.rejected = rejected;
        if (body == Body.FORM_WITH_BASIC) {
            Secrets.register(basic());
        }
    }

    @Override
    protected Token fetch() throws IOException, InterruptedException {
        HttpResponse<String> response;
        if (body == Body.JSON) {
            Map<String, String> json = new LinkedHashMap<>();
            json.put("client_id", clientId);
            json.put("client_secret", clientSecret);
            if (scope != null) {
                json.put("scope", scope);
            }
            response = postJson(tokenUrl, Json.write(json));
        } else {
            response = post(tokenUrl, "application/x-www-form-urlencoded", "grant_type=client_credentials"
                    + (scope == null ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)),
                    "Authorization", basic());
        }
        int status = response.statusCode();
        if (status == 400 || status == 401 || status == 403) {
            throw new CredentialsRejectedException(rejected.apply("HTTP " + status + " at " + tokenUrl));
        }
        if (status / 100 != 2) {
            throw new IOException("the token endpoint " + tokenUrl + " answered HTTP " + status);
        }
        JsonNode answer = Json.MAPPER.readTree(response.body());
        String accessToken = Json.text(answer, "access_token");
        if (accessToken == null) {
            throw new IOException("the token answer of " + tokenUrl + " has no access_token");
        }
        long expiresIn = answer.path("expires_in").canConvertToLong() ? answer.path("expires_in").asLong()
                : DEFAULT_LIFETIME_SECONDS;
        Instant expiry = expiresIn < 1_000_000_000L ? clock.instant().plusSeconds(expiresIn)
                : Instant.ofEpochSecond(expiresIn);
        return new Token(accessToken, expiry);
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
    }
}

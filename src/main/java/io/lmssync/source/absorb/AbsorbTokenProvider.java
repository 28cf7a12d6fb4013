package io.lmssync.source.absorb;

import io.lmssync.record.Json;
import io.lmssync.source.CachedTokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Message;

/**
 * Absorb's token: {@code POST /authenticate} with username, password and private key answers a bare JSON string.
 * Absorb keeps one token per user and a new /authenticate invalidates the previous one, so the process holds exactly
 * one provider per credentials, shared by every Absorb call. Every call also carries {@code x-api-key} and
 * {@code x-api-version: 2}.
 */
public final class AbsorbTokenProvider extends CachedTokenProvider {

    private final URI authenticate;
    private final String username;
    private final String password;
    private final String privateKey;
    private final Duration lifetime;

    public AbsorbTokenProvider(String baseUrl, String username, String password, String privateKey,
            Duration lifetime, Duration renewBefore, Clock clock, Duration timeout) {
        super(renewBefore, clock, timeout);
        this.authenticate = URI.create(baseUrl.replaceAll("/+$", "") + "/authenticate");
        this.username = username;
        this.password = password;
        this.privateKey = privateKey;
        this.lifetime = lifetime;
    }

    @Override
    protected Token fetch() throws IOException, InterruptedException {
        HttpResponse<String> response = postJson(authenticate,
                Json.write(Map.of("username", username, "password", password, "privateKey", privateKey)),
                "x-api-key", privateKey, "x-api-version", "2");
        if (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 400) {
            throw new CredentialsRejectedException("Absorb rejected the credentials at /authenticate (HTTP "
                    + response.statusCode() + "): check absorb.username (ABSORB_USERNAME), absorb.password "
                    + "(ABSORB_PASSWORD) and absorb.api-key (ABSORB_API_KEY)");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Absorb's /authenticate answered HTTP " + response.statusCode());
        }
        String token = Json.MAPPER.readTree(response.body()).asText();
        if (token == null || token.isBlank()) {
            throw new IOException("Absorb's /authenticate answered no token");
        }
        return new Token(token, clock.instant().plus(lifetime));
    }

    @Override
    protected void addHeaders(Message message) {
        message.setHeader("x-api-key", privateKey);
        message.setHeader("x-api-version", "2");
    }
}

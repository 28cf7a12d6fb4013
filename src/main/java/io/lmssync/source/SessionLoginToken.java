package io.lmssync.source;

import io.lmssync.record.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Message;

/**
 * A session login (an auth part): a POST of the login fields as JSON answers the session token as a bare JSON string,
 * valid for a fixed lifetime. Some sources keep one session per user and end the previous one on every login
 * (Absorb): the provider is one per account, shared by every call of it. Headers the source wants on every call
 * (Absorb's {@code x-api-key} and {@code x-api-version}) go on the login too.
 */
public final class SessionLoginToken extends CachedTokenProvider {

    private final URI loginUrl;
    private final Map<String, String> fields;
    private final Map<String, String> headers;
    private final Duration lifetime;
    private final Function<String, String> rejected;

    /** @param rejected what to say when the login refuses the credentials, given how ("HTTP 401 at ...") */
    public SessionLoginToken(URI loginUrl, Map<String, String> fields, Map<String, String> headers, Duration lifetime,
            Function<String, String> rejected, Duration renewBefore, Clock clock, Duration timeout) {
        super(renewBefore, clock, timeout);
        this.loginUrl = loginUrl;
        this.fields = Map.copyOf(fields);
        this.headers = Map.copyOf(headers);
        this.lifetime = lifetime;
        this.rejected = rejected;
    }

    @Override
    protected Token fetch() throws IOException, InterruptedException {
        List<String> loginHeaders = new ArrayList<>();
        headers.forEach((name, value) -> {
            loginHeaders.add(name);
            loginHeaders.add(value);
        });
        HttpResponse<String> response = postJson(loginUrl, Json.write(fields), loginHeaders.toArray(String[]::new));
        int status = response.statusCode();
        if (status == 400 || status == 401 || status == 403) {
            throw new CredentialsRejectedException(rejected.apply("HTTP " + status + " at " + loginUrl));
        }
        if (status / 100 != 2) {
            throw new IOException("the login " + loginUrl + " answered HTTP " + status);
        }
        String token = Json.MAPPER.readTree(response.body()).asText();
        if (token == null || token.isBlank()) {
            throw new IOException("the login " + loginUrl + " answered no token");
        }
        return new Token(token, clock.instant().plus(lifetime));
    }

    @Override
    protected void addHeaders(Message message) {
        headers.forEach(message::setHeader);
    }
}

package io.lmssync.sink.thrive;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.ops.Secrets;
import io.lmssync.sink.DeadLetterStore;
import io.lmssync.source.ClientCredentialsToken;
import io.lmssync.source.StaticTokenAuth;
import io.lmssync.source.TokenProvider;
import io.lmssync.sync.RecordIndex;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/**
 * Sets up the Thrive sink ({@code thrive} in sync.sinks) for {@code routes/thrive.camel.yaml}: its authentication,
 * OAuth2 client credentials when {@code thrive.client-id} is set (a form body, the client as HTTP Basic, at
 * {@code /oauth2/token/<tenant>}), else HTTP Basic with the tenant id and API secret; and the push.
 */
public final class ThriveSink {

    private ThriveSink() {
    }

    /** Checks the settings (failing start-up naming the key) and binds {@code thrivePush}. */
    public static void bind(Registry registry, Settings settings, DataSource dataSource, RecordIndex recordIndex,
            DeadLetterStore deadLetters, Map<String, TokenProvider> tokens, int chunkSize) {
        URI baseUrl = settings.url("thrive.base-url");
        String tenant = settings.text("thrive.tenant-id");
        settings.positiveInt("thrive.requests-per-minute");
        settings.positiveInt("thrive.rate-period-ms");
        Optional<String> clientId = settings.optional("thrive.client-id");
        Processor auth;
        if (clientId.isPresent()) {
            ClientCredentialsToken token = new ClientCredentialsToken(
                    URI.create(baseUrl.toString().replaceAll("/+$", "") + "/oauth2/token/"
                            + URLEncoder.encode(tenant, StandardCharsets.UTF_8)),
                    ClientCredentialsToken.Body.FORM_WITH_BASIC, clientId.get(),
                    settings.secret("thrive.client-secret", "thrive.client-id is set, so Thrive is reached with "
                            + "OAuth2 client credentials"),
                    settings.text("thrive.scope"),
                    how -> "Thrive rejected the client credentials (" + how + "): check thrive.tenant-id, "
                            + "thrive.client-id (THRIVE_CLIENT_ID), thrive.client-secret (THRIVE_CLIENT_SECRET) and "
                            + "thrive.scope",
                    settings.duration("thrive.token-renew-before"), Clock.systemUTC(),
                    Duration.ofMillis(settings.positiveInt("sync.http.connect-timeout-ms")));
            tokens.put(ThrivePush.ACCOUNT, token);
            auth = token;
        } else {
            String apiSecret = settings.secret("thrive.api-secret", "thrive is in sync.sinks and needs OAuth2 client "
                    + "credentials (thrive.client-id, THRIVE_CLIENT_ID, and thrive.client-secret) or the API secret");
            auth = new StaticTokenAuth("Basic ", Secrets.register(Base64.getEncoder()
                    .encodeToString((tenant + ":" + apiSecret).getBytes(StandardCharsets.UTF_8))));
        }
        String path = settings.text("thrive.completions-path");
        if (!path.startsWith("/")) {
            throw new ConfigurationException("thrive.completions-path must start with /, not '" + path + "'");
        }
        List<String> fields = settings.list("thrive.fields");
        if (fields.size() != 3 || new java.util.HashSet<>(fields).size() != 3) {
            throw new ConfigurationException("thrive.fields must name three different fields, the user's, the "
                    + "content's and the completion time's, in that order (userId,contentId,completedAt), not '"
                    + settings.optional("thrive.fields").orElse("") + "'");
        }
        URI completions = URI.create(baseUrl.toString().replaceAll("/+$", "") + path);
        registry.bind("thrivePush", new ThrivePush(completions, fields, auth, dataSource, recordIndex, deadLetters,
                Path.of(settings.text("thrive.user-map-file")), Path.of(settings.text("thrive.content-map-file")),
                chunkSize));
    }
}

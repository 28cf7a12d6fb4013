package io.lmssync.source;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.lmssync.source.continu.ContinuSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OAuth2 client credentials: Continu's way (a JSON body, an absolute expiry) and RFC 6749's (a form body, the client
 * as HTTP Basic, expiry in seconds, as Thrive has it); cached, renewed ahead of the expiry and after a 401.
 */
class ClientCredentialsTokenTest {

    @RegisterExtension
    static WireMockExtension continu = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    private ClientCredentialsToken provider() {
        return provider(ClientCredentialsToken.Body.JSON, null);
    }

    private ClientCredentialsToken provider(ClientCredentialsToken.Body body, String scope) {
        return new ClientCredentialsToken(URI.create(continu.baseUrl() + "/v3/oauth2/access-token"), body, "id-1",
                "secret-1", scope, how -> Sources.credentialsRejected(new ContinuSource(), how), Duration.ofMinutes(5),
                clock, Duration.ofSeconds(5));
    }

    private void tokens(String first, String second, long expiresAtEpoch) {
        continu.stubFor(post(urlEqualTo("/v3/oauth2/access-token")).inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(equalToJson("{\"client_id\":\"id-1\",\"client_secret\":\"secret-1\"}"))
                .willReturn(okJson("{\"access_token\":\"" + first + "\",\"token_type\":\"bearer\",\"expires_in\":"
                        + expiresAtEpoch + "}")).willSetStateTo("second"));
        continu.stubFor(post(urlEqualTo("/v3/oauth2/access-token")).inScenario("t").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"" + second + "\",\"expires_in\":" + expiresAtEpoch + "}")));
    }

    @Test
    void theTokenIsCachedUntilShortlyBeforeItsAbsoluteExpiry() throws Exception {
        tokens("alpha", "beta", T0.plusSeconds(3600).getEpochSecond());
        ClientCredentialsToken provider = provider();

        assertThat(provider.token()).isEqualTo("alpha");
        clock.now = T0.plusSeconds(3600 - 301);
        assertThat(provider.token()).as("still more than 5 minutes left").isEqualTo("alpha");
        clock.now = T0.plusSeconds(3600 - 299);
        assertThat(provider.token()).as("renewed 5 minutes ahead").isEqualTo("beta");
        assertThat(provider.expiresAt()).isEqualTo(T0.plusSeconds(3600));
        continu.verify(2, postRequestedFor(urlEqualTo("/v3/oauth2/access-token")));
    }

    @Test
    void anInvalidatedTokenIsFetchedAnew() throws Exception {
        tokens("alpha", "beta", T0.plusSeconds(3600).getEpochSecond());
        ClientCredentialsToken provider = provider();
        provider.token();

        provider.invalidate();

        assertThat(provider.token()).isEqualTo("beta");
    }

    @Test
    void refusedClientCredentialsNameTheSettings() {
        continu.stubFor(post(urlEqualTo("/v3/oauth2/access-token")).willReturn(unauthorized()));
        assertThatThrownBy(() -> provider().token()).hasMessageContaining(
                "Continu rejected the credentials (HTTP 401 at " + continu.baseUrl() + "/v3/oauth2/access-token): "
                        + "check continu.client-id (CONTINU_CLIENT_ID), continu.client-secret (CONTINU_CLIENT_SECRET)");
    }

    @Test
    void aFormBodyWithTheClientAsBasicGetsATokenForTheSecondsItsAnswerSays() throws Exception {
        continu.stubFor(post(urlEqualTo("/v3/oauth2/access-token"))
                .withHeader("Authorization", equalTo("Basic aWQtMTpzZWNyZXQtMQ=="))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=api%2Fwrite"))
                .willReturn(okJson("{\"access_token\":\"gamma\",\"expires_in\":3600}")));
        ClientCredentialsToken provider = provider(ClientCredentialsToken.Body.FORM_WITH_BASIC, "api/write");

        assertThat(provider.token()).isEqualTo("gamma");
        assertThat(provider.expiresAt()).isEqualTo(T0.plusSeconds(3600));
    }
}

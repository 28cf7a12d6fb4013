package io.lmssync.source.continu;

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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Continu's token: one JSON-body POST, an absolute expiry, renewed ahead of it and after a 401. */
class ContinuTokenProviderTest {

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

    private ContinuTokenProvider provider() {
        return new ContinuTokenProvider(URI.create(continu.baseUrl() + "/v3/oauth2/access-token"), "id-1",
                "secret-1", Duration.ofMinutes(5), clock, Duration.ofSeconds(5));
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
        ContinuTokenProvider provider = provider();

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
        ContinuTokenProvider provider = provider();
        provider.token();

        provider.invalidate();

        assertThat(provider.token()).isEqualTo("beta");
    }

    @Test
    void refusedClientCredentialsNameTheSettings() {
        continu.stubFor(post(urlEqualTo("/v3/oauth2/access-token")).willReturn(unauthorized()));
        assertThatThrownBy(() -> provider().token()).hasMessageContaining(
                "Continu rejected the client credentials at continu.token-url (HTTP 401): check continu.client-id");
    }
}

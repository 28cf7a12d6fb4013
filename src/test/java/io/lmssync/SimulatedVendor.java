package io.lmssync;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What the simulated vendors share: WireMock answers every request through them, JSON answers, query parsing. */
abstract class SimulatedVendor implements ResponseDefinitionTransformerV2 {

    @Override
    public boolean applyGlobally() {
        return true;
    }

    static ResponseDefinitionBuilder answer(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status).withBody(body)
                .withHeader("Content-Type", "application/json");
    }

    static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}

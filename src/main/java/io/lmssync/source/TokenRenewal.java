package io.lmssync.source;

import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The error handler's answer to a 401: drop the vendor's cached token and try once more. A second 401 in a row (or
 * any 401 for a vendor whose token cannot be renewed) fails the stream.
 */
public final class TokenRenewal {

    /** Set on the exchange once a token was renewed for it; the gateway clears it after an answer. */
    public static final String RENEWED = "lmsTokenRenewed";

    private final Map<String, TokenProvider> byVendor;

    public TokenRenewal(Map<String, TokenProvider> byVendor) {
        this.byVendor = Map.copyOf(byVendor);
    }

    public boolean renewOnce(Exchange exchange) {
        String account = Account.of(exchange);
        TokenProvider provider = account == null ? null : byVendor.get(account);
        if (provider == null || exchange.getProperty(RENEWED, false, Boolean.class)) {
            return false;
        }
        provider.invalidate();
        exchange.setProperty(RENEWED, true);
        return true;
    }
}

package io.lmssync.source;

import org.apache.camel.Exchange;

/**
 * The error handlers' answer to a 401/403: drop the request's cached token and try once more. A second refusal in a
 * row (or any for a credential that cannot be renewed) fails the call.
 */
public final class TokenRenewal {

    public boolean renewOnce(Exchange exchange) {
        SourceRequest request = SourceRequest.of(exchange);
        return request != null && request.renewTokenOnce();
    }
}

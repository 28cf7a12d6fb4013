package io.lmssync.source;

import org.apache.camel.Exchange;

/**
 * What the stream template ({@code routes/stream-templates.camel.yaml}) asks a stream's requests, window by window,
 * and nothing more: "the next request?" ({@link #next}), sent through the account's gateway, then "the answer read:
 * deliver its records?" ({@link #read}), until {@code next} says the window is read. The run ({@code SyncRun}) and its
 * window are on the exchange; what the requests keep between the two calls is theirs, on the exchange too.
 * {@link RequestPlan} answers both from a stream's fixed parts.
 */
public interface Requests {

    /**
     * Puts the window's next request on the exchange for the gateway ({@link SourceRequest}): a listing's next page
     * or the first page of the next batch of partitions, the next page of a batch, or a probe a refusal asked for.
     * False once every batch of the window is read.
     */
    boolean next(Exchange exchange) throws Exception;

    /**
     * The answer to the request just sent ({@link Answer}, on the exchange): whether its records are to be delivered.
     * A listing's page, a probe's answer or a refusal is the requests' own (false); a refusal that fails the stream
     * throws, naming the settings that shape the request.
     */
    boolean read(Exchange exchange);
}

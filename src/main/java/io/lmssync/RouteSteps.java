package io.lmssync;

import io.lmssync.sink.LearningRecordRows;
import io.lmssync.sink.ParsedOnceStatements;
import io.lmssync.sink.Refusals;
import io.lmssync.source.JsonArrayChunks;
import io.lmssync.source.SourceRequest;
import io.lmssync.source.TokenRenewal;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * The small stateless steps the YAML routes name as beans: how a call is retried, which headers a request sends, how
 * an answer is cut into chunks and a chunk kept through its split, the shapes the sinks write. None keeps state or
 * touches the database, so they are bound before anything that does.
 */
final class RouteSteps {

    private RouteSteps() {
    }

    static void bind(Registry registry, Settings settings, int chunkSize) {
        registry.bind("keepChunk", new UseOriginalAggregationStrategy());
        registry.bind("callRetry", retryPolicy(settings));
        registry.bind("requestHeadersAsSet", requestHeadersAsSet());
        // the account's gateway (routes/stream-templates.camel.yaml): the request a stream planned, as an HTTP call
        registry.bind("sourceRequest", (Processor) SourceRequest::prepare);
        registry.bind("tokenRenewal", new TokenRenewal());
        registry.bind("jsonArrayChunks", new JsonArrayChunks(chunkSize));
        registry.bind("learningRecordRows", new LearningRecordRows());
        registry.bind("refusals", new Refusals());
        registry.bind("parsedOnceStatements", new ParsedOnceStatements());
    }

    /**
     * For sources whose pages require headers Camel's HTTP component leaves out of a request without a body
     * (Content-Type on a GET): every header set on the message is sent, Camel's own excepted.
     */
    private static HeaderFilterStrategy requestHeadersAsSet() {
        DefaultHeaderFilterStrategy strategy = new DefaultHeaderFilterStrategy();
        strategy.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
        strategy.setLowerCase(true);
        return strategy;
    }

    private static RedeliveryPolicy retryPolicy(Settings settings) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(settings.positiveInt("sync.retry.max-redeliveries"));
        policy.setRedeliveryDelay(settings.positiveInt("sync.retry.delay-ms"));
        policy.setMaximumRedeliveryDelay(settings.positiveInt("sync.retry.max-delay-ms"));
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        policy.setRetryAttemptedLogLevel(LoggingLevel.WARN);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        // the stream's failed summary line says what happened; no second report with a stack trace
        policy.setLogExhausted(false);
        return policy;
    }
}

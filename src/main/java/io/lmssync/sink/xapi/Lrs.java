package io.lmssync.sink.xapi;

import io.lmssync.record.Json;
import io.lmssync.source.BudgetPlace;
import io.lmssync.source.RateBudget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The LRS's xAPI endpoint, as lms-sync calls it: HTTP Basic with the key and secret, the xAPI version header both
 * ways, within the sink's own budget ({@code sync.xapi.requests-per-minute}). 5xx, timeouts and refused connections
 * are retried with a growing delay, 429 after the pause the budget takes (Retry-After); what still fails is an
 * {@link LrsUnavailableException}. Any other answer is the caller's to read.
 */
final class Lrs {

    static final String VERSION_HEADER = "X-Experience-API-Version";
    static final String VERSION = "1.0.3";

    /** How often a failed call is tried again: after 5xx and network failures, and after 429. */
    record Retries(int unavailable, int rateLimited, Duration delay, Duration maxDelay) {
    }

    private final URI endpoint;
    private final String authorization;
    private final RateBudget budget;
    private final Retries retries;
    private final Duration timeout;
    private final HttpClient http;

    /** @param authorization the Authorization header's value, registered as a secret by the caller */
    Lrs(URI endpoint, String authorization, RateBudget budget, Retries retries, Duration connect, Duration timeout) {
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", "") + "/");
        this.authorization = authorization;
        this.budget = budget;
        this.retries = retries;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connect).build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** A call to {@code <endpoint>/<path>}; the JSON body, or null for a GET. */
    HttpResponse<String> call(String method, String path, String body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(timeout)
                .header("Authorization", authorization).header(VERSION_HEADER, VERSION)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        int unavailable = 0;
        int rateLimited = 0;
        Duration delay = retries.delay();
        while (true) {
            String failure;
            try {
                HttpResponse<String> response = send(request.build());
                int status = response.statusCode();
                if (status == 429 && rateLimited++ < retries.rateLimited()) {
                    budget.refused(response.headers().firstValue("Retry-After").orElse(null));
                    continue;
                }
                if (status < 500) {
                    if (status != 429) { // a 429 past its retries still says "too many": the backoff stays
                        budget.accepted();
                    }
                    return response;
                }
                failure = "HTTP " + status + " " + Json.answerMessage(response.body());
            } catch (IOException e) {
                failure = e.toString();
            } catch (SQLException e) {
                throw new LrsUnavailableException("the xapi sink's budget could not be read: " + e.getMessage());
            }
            if (unavailable++ >= retries.unavailable()) {
                throw new LrsUnavailableException("the LRS at " + endpoint + " did not answer " + method + " " + path
                        + " after " + unavailable + " tries (" + failure + "); the chunk is sent again on the next "
                        + "run");
            }
            Thread.sleep(delay.toMillis());
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(retries.maxDelay()) > 0 ? retries.maxDelay() : doubled;
        }
    }

    /** One request within the budget: a place held until the answer (or the failure). */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException, SQLException {
        BudgetPlace place = budget.awaitTurn();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } finally {
            budget.answered(place, null);
        }
    }

    /** The answer's xAPI version, when it is not 1.0.x: an LRS lms-sync cannot speak to. */
    static Optional<String> wrongVersion(HttpResponse<?> response) {
        String version = response.headers().firstValue(VERSION_HEADER).orElse("(none)");
        return version.startsWith("1.0.") ? Optional.empty() : Optional.of(version);
    }

    /** The LRS could not be reached, kept failing, or cannot be spoken to: the chunk fails, and comes again. */
    static final class LrsUnavailableException extends RuntimeException {
        LrsUnavailableException(String message) {
            super(message);
        }
    }
}

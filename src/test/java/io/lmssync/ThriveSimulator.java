package io.lmssync;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.lmssync.record.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated Thrive for WireMock: the OAuth2 token endpoint per tenant (client credentials with HTTP Basic, tokens
 * that expire), Basic auth with the API secret, and the completions endpoint: 201 for a new completion, 200 for one it
 * holds, 422 for a user or content it does not know; and faults on demand (statuses served before the real answer,
 * the current token revoked). As strict as page 002, never kinder; what it assumes where the page is silent is here:
 * <ul>
 * <li>a token carries the scope asked for, and writing a completion needs {@code api/write} or {@code api/all}
 * (403 otherwise);</li>
 * <li>the body names {@code userId}, {@code contentId} and {@code completedAt} (our reading of Thrive's reference),
 * each required, and {@code completedAt} is an ISO-8601 time with an offset: anything else is a 422 naming the
 * field.</li>
 * </ul>
 */
final class ThriveSimulator extends SimulatedVendor {

    static final String TENANT = "eu-west-2_AbcdEfghI";
    static final String CLIENT_ID = "thrive-client";
    static final String CLIENT_SECRET = "thrive-client-secret-5150";
    static final String API_SECRET = "thrive-api-secret-8086";

    /** A completion as Thrive received it. */
    record Received(String userId, String contentId, String completedAt, int status) {
    }

    final Set<String> users = ConcurrentHashMap.newKeySet();
    final Set<String> contents = ConcurrentHashMap.newKeySet();
    /**
     * What Thrive holds: a completion as userId|contentId|completedAt (completing again is a new completion), or
     * userId|contentId for one it holds at a time the test does not know.
     */
    final Set<String> held = ConcurrentHashMap.newKeySet();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    /** Statuses the completions endpoint answers before it answers for real (429 comes with Retry-After: 0). */
    final Queue<Integer> faults = new ConcurrentLinkedQueue<>();
    private final Map<String, Boolean> validTokens = new ConcurrentHashMap<>();

    @Override
    public String getName() {
        return "thrive-simulator";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String path = request.getUrl().split("\\?")[0];
        if (path.equals("/oauth2/token/" + TENANT)) {
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(request.getHeader("Authorization"))
                    || !request.getBodyAsString().contains("grant_type=client_credentials")) {
                return answer(401, "{\"message\":\"invalid_client\"}").build();
            }
            String token = "thrive-token-" + tokensIssued.incrementAndGet();
            String scope = query("?" + request.getBodyAsString()).getOrDefault("scope", "");
            validTokens.put(token, scope.equals("api/write") || scope.equals("api/all"));
            return answer(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                    .build();
        }
        if (!path.equals("/rest/v1/learning/completions") || !request.getMethod().getName().equals("POST")) {
            return answer(404, "{\"message\":\"not found\"}").build();
        }
        if (!authorized(request.getHeader("Authorization"))) {
            return answer(401, "{\"message\":\"Unauthorized\"}").build();
        }
        Integer fault = faults.poll();
        if (fault != null) {
            return answer(fault, "{\"message\":\"simulated " + fault + "\"}").withHeader("Retry-After", "0").build();
        }
        String header = request.getHeader("Authorization");
        if (header.startsWith("Bearer ") && !validTokens.get(header.substring(7))) {
            return answer(403, "{\"message\":\"Forbidden: the token's scope does not allow this\"}").build();
        }
        JsonNode body = read(request.getBodyAsString());
        for (String field : List.of("userId", "contentId", "completedAt")) {
            if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
                return answer(422, "{\"message\":\"" + field + " is required\"}").build();
            }
        }
        String userId = body.path("userId").asText();
        String contentId = body.path("contentId").asText();
        String completedAt = body.path("completedAt").asText();
        try {
            java.time.OffsetDateTime.parse(completedAt);
        } catch (java.time.format.DateTimeParseException e) {
            received.add(new Received(userId, contentId, completedAt, 422));
            return answer(422, "{\"message\":\"completedAt must be an ISO8601 timestamp\"}").build();
        }
        int status = !users.contains(userId) ? 422 : !contents.contains(contentId) ? 422
                : held.contains(userId + "|" + contentId) || !held.add(userId + "|" + contentId + "|" + completedAt)
                        ? 200 : 201;
        received.add(new Received(userId, contentId, completedAt, status));
        if (status == 422) {
            return answer(422, "{\"message\":\"Unknown " + (users.contains(userId) ? "contentId " + contentId
                    : "userId " + userId) + "\"}").build();
        }
        return answer(status, "{\"id\":\"stmt-" + received.size() + "\"}").build();
    }

    /** The service set to push to this simulator with OAuth2 client credentials and the given mapping files. */
    static TestService pushedToBy(TestService service, String baseUrl, Path users, Path contents) {
        return service.with("thrive.base-url", baseUrl)
                .with("thrive.tenant-id", TENANT)
                .with("thrive.client-id", CLIENT_ID)
                .with("thrive.client-secret", CLIENT_SECRET)
                .with("thrive.user-map-file", users.toString())
                .with("thrive.content-map-file", contents.toString());
    }

    /** The current OAuth tokens stop working, as when they expire. */
    void expireTokens() {
        validTokens.clear();
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        if (header.startsWith("Bearer ")) {
            return validTokens.containsKey(header.substring(7));
        }
        return header.equals("Basic " + Base64.getEncoder().encodeToString(
                (TENANT + ":" + API_SECRET).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package io.lmssync;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated Continu account for WireMock: the token endpoint, the Open API completion streams and the Reporting
 * API, answering from a fixed set of records by learner and updated_date, with Continu's request limit counted in a
 * sliding window (any span of a period holds at most {@link #limit} accepted requests; 429 past it, with or without
 * Retry-After), what it counted in X-REQUESTS-PER-MINUTE, another client on the same account on demand, and tokens it
 * can revoke. As strict as the pages, never kinder; what it assumes where they are silent is here, in one place:
 * <ul>
 * <li>the Open API answers 404 for a batch naming a learner it does not know ({@link #unknownLearners}: page 000
 * lists 404 without saying when);</li>
 * <li>the Reporting API reads the body: each field flag must be one of {@link #REPORT_FIELDS} (the working contract's
 * row), each filter one of {@link #REPORT_FILTERS}, a {@code range_target} one of {@link #RANGE_TARGETS}; anything
 * else is a 400 naming it; a row holds only the fields the body asked for (page 001: "request only the fields you
 * need").</li>
 * </ul>
 */
final class ContinuSimulator extends SimulatedVendor {

    static final Set<String> REPORT_FIELDS = Set.of("completion_id", "user_id", "email", "first_name", "last_name",
            "departments", "content", "assignment", "status", "score", "completed_date", "updated_date");
    static final Set<String> REPORT_FILTERS = Set.of("user_filter", "content_filter", "assignment_filter",
            "entity_filter");
    static final Set<String> RANGE_TARGETS = Set.of("updated_date", "completed_date", "assigned_date");

    /** Learners the account does not know: a batch naming one answers 404. */
    final Set<String> unknownLearners = ConcurrentHashMap.newKeySet();
    /** The bodies the Reporting API was sent. */
    final List<String> reportBodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One completion the simulated account holds. */
    record Completion(String id, String email, long updatedEpoch) {
    }

    final Map<String, List<Completion>> byStream = new ConcurrentHashMap<>();
    final List<Completion> reporting = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    /** Completions the account holds but does not show yet (replica lag, slow indexing), by id. */
    final Set<String> hidden = ConcurrentHashMap.newKeySet();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final AtomicInteger rateLimited = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    final List<Long> requestTimes = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile long tokenLifetimeSeconds = 3600;
    volatile int limit = Integer.MAX_VALUE;
    volatile long periodMillis = 60_000;
    /** Another client on the same account: this many requests a period, evenly spaced (counted, never served here). */
    volatile int othersPerPeriod;
    volatile String retryAfter;
    /** After this many answered calls every token issued so far stops working (as if it expired early). */
    volatile int revokeAfter = Integer.MAX_VALUE;
    /** False: the token endpoint issues tokens the API never accepts. */
    volatile boolean acceptTokens = true;
    /** Milliseconds to hold an answer for a window starting at {@link #slowFrom} (to stop a run mid-window). */
    volatile long slowFrom = -1;
    volatile long slowMillis;
    /** When the accepted requests arrived, oldest first: the sliding window. */
    private final java.util.ArrayDeque<Long> window = new java.util.ArrayDeque<>();

    @Override
    public String getName() {
        return "continu-simulator";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String path = request.getUrl().split("\\?")[0];
        counted.set(0L);
        if (path.endsWith("/oauth2/access-token")) {
            String token = "tok-" + tokensIssued.incrementAndGet();
            if (acceptTokens) {
                validTokens.add(token);
            }
            return json(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":"
                    + (Instant.now().getEpochSecond() + tokenLifetimeSeconds) + "}");
        }
        long now = System.currentTimeMillis();
        long counted = admit(now);
        if (counted < 0) {
            rateLimited.incrementAndGet();
            var refused = answer(429, "{\"message\":\"Too Many Requests\"}")
                    .withHeader("X-REQUESTS-PER-MINUTE", String.valueOf(-counted));
            return (retryAfter == null ? refused : refused.withHeader("Retry-After", retryAfter)).build();
        }
        requestTimes.add(now);
        this.counted.set(counted);
        if (served.get() >= revokeAfter) {
            revokeAfter = Integer.MAX_VALUE;
            validTokens.clear();
        }
        if (path.contains("/completion/")) {
            String auth = request.getHeader("Authorization");
            if (auth == null || !validTokens.contains(auth.replace("Bearer ", ""))) {
                return json(401, "{\"message\":\"invalid token\"}");
            }
            String stream = path.substring(path.lastIndexOf('/') + 1);
            Map<String, String> query = query(request.getUrl());
            Set<String> users = Set.of(query.get("for_users").split(","));
            if (users.stream().anyMatch(unknownLearners::contains)) {
                served.incrementAndGet();
                return json(404, "{\"message\":\"Not Found\"}");
            }
            long from = Long.parseLong(query.get("from"));
            long until = Long.parseLong(query.get("until"));
            StringJoiner array = new StringJoiner(",", "[", "]");
            for (Completion c : byStream.getOrDefault(stream, List.of())) {
                if (users.contains(c.email()) && c.updatedEpoch() >= from && c.updatedEpoch() < until
                        && !hidden.contains(c.id())) {
                    array.add("{\"id\":\"" + c.id() + "\",\"user\":{\"id\":\"u-" + c.email() + "\",\"email\":\""
                            + c.email() + "\",\"first_name\":\"F\",\"last_name\":\"L\"},\"content\":{\"id\":\"k1\","
                            + "\"title\":\"Safety\",\"type\":\"video\"},\"status\":\"completed\",\"progress\":100,"
                            + "\"score\":null,\"completed_date\":" + c.updatedEpoch() + ",\"updated_date\":"
                            + c.updatedEpoch() + "}");
                }
            }
            served.incrementAndGet();
            ResponseDefinition answer = json(200, array.toString());
            // a slow vendor: WireMock holds this window's answer back
            return from == slowFrom ? ResponseDefinitionBuilder.like(answer).withFixedDelay((int) slowMillis).build()
                    : answer;
        }
        if (path.contains("/reports/content-completion/")) {
            if (!"reporting-token".equals(request.getHeader("Authorization"))) {
                return json(401, "{\"message\":\"invalid token\"}");
            }
            reportBodies.add(request.getBodyAsString());
            JsonNode body;
            try {
                body = io.lmssync.record.Json.MAPPER.readTree(request.getBodyAsString());
            } catch (Exception e) {
                return json(400, "{\"message\":\"the body is not JSON\"}");
            }
            Set<String> asked = new java.util.HashSet<>();
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
                String name = field.getKey();
                if (name.equals("range_target")) {
                    if (!RANGE_TARGETS.contains(field.getValue().asText())) {
                        return json(400, "{\"message\":\"Unknown range_target: " + field.getValue().asText() + "\"}");
                    }
                } else if (!REPORT_FILTERS.contains(name)) {
                    if (!REPORT_FIELDS.contains(name) || !field.getValue().isBoolean()) {
                        return json(400, "{\"message\":\"Unknown field: " + name + "\"}");
                    }
                    if (field.getValue().asBoolean()) {
                        asked.add(name);
                    }
                }
            }
            String[] parts = path.split("/");
            long from = Long.parseLong(parts[parts.length - 2]);
            long until = Long.parseLong(parts[parts.length - 1]);
            StringJoiner array = new StringJoiner(",", "[", "]");
            for (Completion c : reporting) {
                if (c.updatedEpoch() >= from && c.updatedEpoch() < until) {
                    com.fasterxml.jackson.databind.node.ObjectNode row = io.lmssync.record.Json.MAPPER.createObjectNode();
                    row.put("completion_id", c.id()).put("user_id", "u1").put("email", c.email())
                            .put("first_name", "F").put("last_name", "L").put("status", "completed").put("score", 90)
                            .put("completed_date", c.updatedEpoch()).put("updated_date", c.updatedEpoch());
                    row.putObject("content").put("content_id", "k1").put("title", "T").put("type", "article");
                    row.retain(asked); // only what the body asked for
                    array.add(row.toString());
                }
            }
            served.incrementAndGet();
            return json(200, array.toString());
        }
        return json(404, "{\"message\":\"not found\"}");
    }

    /** What the account counted in its window when it accepted the request being answered. */
    private final ThreadLocal<Long> counted = ThreadLocal.withInitial(() -> 0L);

    private ResponseDefinition json(int status, String body) {
        return answer(status, body).withHeader("X-REQUESTS-PER-MINUTE", String.valueOf(counted.get()))
                .withHeader("X-REQUESTS-PER-DAY", String.valueOf(requestTimes.size())).build();
    }

    /**
     * Counts a request arriving now in the sliding window: the requests in the window with it (the other client's
     * included) when accepted, minus those in the window when refused (it was full).
     */
    private synchronized long admit(long now) {
        while (!window.isEmpty() && window.peekFirst() <= now - periodMillis) {
            window.removeFirst();
        }
        long inWindow = window.size() + others(now);
        if (inWindow >= limit) {
            return -inWindow;
        }
        window.addLast(now);
        return inWindow + 1;
    }

    /** The other client's requests in the window (now - period, now]: one every period / othersPerPeriod ms. */
    private long others(long now) {
        if (othersPerPeriod == 0) {
            return 0;
        }
        long every = periodMillis / othersPerPeriod;
        return Math.floorDiv(now, every) - Math.floorDiv(now - periodMillis, every);
    }

    /** The most requests (the other client's left out) that arrived within any span of a period. */
    long busiestWindow() {
        List<Long> times = new ArrayList<>(requestTimes);
        java.util.Collections.sort(times);
        long most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= periodMillis) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /**
     * The service set to read this simulator's Open API: Continu on, its token endpoint, roster batches
     * of 10, history from 100 days back in windows of 30 days, no settle lag.
     */
    static TestService readBy(TestService service, String baseUrl, Instant now) {
        return service.with("continu.enabled", "true")
                .with("continu.base-url", baseUrl + "/v1")
                .with("continu.token-url", baseUrl + "/v3/oauth2/access-token")
                .with("continu.client-id", "client-1")
                .with("continu.client-secret", "continu-test-secret-42")
                .with("continu.roster-batch-size", "10")
                .with("continu.start-date", now.minus(100, ChronoUnit.DAYS).toString())
                .with("continu.window", "P30D")
                .with("sync.settle-lag", "PT0S");
    }

    /** Per stream, one completion per learner, updated every {@code spacingDays} days back from {@code end}. */
    void fill(List<String> emails, Instant end, int spacingDays) {
        for (String stream : List.of("assessments", "assignments", "tracks", "workshops")) {
            List<Completion> list = new ArrayList<>();
            for (int i = 0; i < emails.size(); i++) {
                list.add(new Completion(stream + "-" + i, emails.get(i),
                        end.minusSeconds(86_400L * spacingDays * (i + 1)).getEpochSecond()));
            }
            byStream.put(stream, list);
        }
    }
}

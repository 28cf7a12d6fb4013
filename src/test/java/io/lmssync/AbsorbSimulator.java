package io.lmssync;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.lmssync.record.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated Absorb for WireMock with Absorb's real quirks: {@code _offset} is a page index, one token per user (a
 * new /authenticate invalidates the previous token), x-api-key and x-api-version on every call, envelopes or bare
 * arrays; and faults on demand (a repeated page, totalItems drifting mid-scan). As strict as the page, never kinder;
 * what it assumes where page 003 is silent is here, in one place:
 * <ul>
 * <li>{@code _limit} is capped at {@link #maxLimit} (1000, Absorb's other pages), and the envelope's {@code limit}
 * says what was served; {@code _offset} counts pages of that size;</li>
 * <li>{@code _sort} takes only the fields of {@link #sortable}: a course enrollment's {@code dateEdited} and
 * {@code id}; any other is a 400;</li>
 * <li>{@code _filter} takes {@code dateEdited ge datetime'...' and dateEdited lt datetime'...'} and
 * {@code id eq guid'...'}; any other is a 400;</li>
 * <li>the child paths are those lms-sync's settings default to; any other path is a 404.</li>
 * </ul>
 */
final class AbsorbSimulator extends SimulatedVendor {

    static final String KEY = "absorb-private-key-77";

    /** The most records a page holds, whatever {@code _limit} asks (a tenant may serve fewer than Absorb's 1000). */
    volatile int maxLimit = 1000;
    /** The fields a course enrollment's collection allows sorting by. */
    final java.util.Set<String> sortable = ConcurrentHashMap.newKeySet();

    {
        sortable.addAll(List.of("dateEdited", "id"));
    }

    /** One enrollment Absorb holds. */
    record Enrollment(String id, String courseId, String userId, int status, Instant edited) {
    }

    final List<String> courses = new CopyOnWriteArrayList<>();
    final List<Enrollment> enrollments = new CopyOnWriteArrayList<>();
    final AtomicInteger authentications = new AtomicInteger();
    final AtomicInteger pagesServed = new AtomicInteger();
    /** Calls refused for a token that no longer works (revoked by a newer /authenticate, or expired). */
    final AtomicInteger tokensRefused = new AtomicInteger();
    volatile String currentToken;
    volatile boolean bareArrays;
    /** Every enrollment page answers page 0, whatever _offset asks. */
    volatile boolean repeatFirstPage;
    /** totalItems grows by one on every enrollment page from this many pages on... */
    volatile int driftFromPage = Integer.MAX_VALUE;
    /** ...for this many pages (then it stays). */
    volatile int driftPages = Integer.MAX_VALUE;
    /** Something to do just before the n-th page (counted from 1) is served, such as stopping a sink. */
    final Map<Integer, Runnable> beforePage = new java.util.concurrent.ConcurrentHashMap<>();
    /** The token stops working after this many pages (as if it expired early). */
    volatile int expireTokenAfterPages = Integer.MAX_VALUE;
    /** The lesson, chapter and session enrollments each course enrollment has, and the attempts each lesson has. */
    volatile int lessonsPerEnrollment;
    volatile int chaptersPerEnrollment;
    volatile int sessionsPerEnrollment;
    volatile int attemptsPerLesson;
    /** Course enrollments (by id) that have one lesson fewer than the others, as if it was removed. */
    final java.util.Set<String> lessonRemoved = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Course enrollments (by id) whose children answer 404, as if deleted since their hand-over. */
    final java.util.Set<String> childrenGone = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Requests for a course enrollment's children or a lesson's attempts. */
    final AtomicInteger childRequests = new AtomicInteger();

    @Override
    public String getName() {
        return "absorb-simulator";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        if (!KEY.equals(request.getHeader("x-api-key")) || !"2".equals(request.getHeader("x-api-version"))) {
            return json(400, "{\"message\":\"x-api-key and x-api-version: 2 are required\"}");
        }
        String path = request.getUrl().split("\\?")[0];
        if (path.equals("/authenticate")) {
            JsonNode body = read(request.getBodyAsString());
            if (!"sync-user".equals(body.path("username").asText()) || !KEY.equals(body.path("privateKey").asText())) {
                return json(401, "{\"message\":\"bad credentials\"}");
            }
            currentToken = "absorb-token-" + authentications.incrementAndGet(); // the previous one stops working
            return json(200, "\"" + currentToken + "\"");
        }
        String auth = request.getHeader("Authorization");
        if (currentToken == null || !("Bearer " + currentToken).equals(auth)) {
            tokensRefused.incrementAndGet();
            return json(401, "{\"message\":\"token invalid\"}");
        }
        if (pagesServed.get() >= expireTokenAfterPages) {
            expireTokenAfterPages = Integer.MAX_VALUE;
            currentToken = null;
            return json(401, "{\"message\":\"token expired\"}");
        }
        Map<String, String> query = query(request.getUrl());
        int limit = Math.min(maxLimit, Integer.parseInt(query.getOrDefault("_limit", "20")));
        for (String key : query.getOrDefault("_sort", "").split(",")) {
            String field = key.trim().replaceFirst("^-", "");
            if (!field.isEmpty() && !sortable.contains(field)) {
                return json(400, "{\"message\":\"The field '" + field + "' does not allow sorting\"}");
            }
        }
        if (query.containsKey("_filter") && !FILTER.matcher(query.get("_filter")).matches()
                && !BY_ID.matcher(query.get("_filter")).matches()) {
            return json(400, "{\"message\":\"Invalid filter\"}");
        }
        int page = Integer.parseInt(query.getOrDefault("_offset", "0"));
        Runnable before = beforePage.remove(pagesServed.incrementAndGet());
        if (before != null) {
            before.run();
        }
        if (path.equals("/courses")) {
            List<String> items = slice(courses, page, limit);
            StringJoiner array = new StringJoiner(",", "[", "]");
            items.forEach(c -> array.add("{\"id\":\"" + c + "\",\"name\":\"Course " + c + "\"}"));
            return page(courses.size(), limit, page, "courses", array.toString());
        }
        Matcher attempts = Pattern.compile("/users/([^/]+)/enrollments/([^/]+)/lessons/([^/]+)/attempts").matcher(path);
        Matcher children = Pattern.compile("/users/([^/]+)/enrollments/([^/]+)/(lessons|chapters|sessions)")
                .matcher(path);
        if (attempts.matches() || children.matches()) {
            childRequests.incrementAndGet();
            Matcher m = attempts.matches() ? attempts : children;
            Enrollment e = enrollments.stream().filter(x -> x.userId().equals(m.group(1))
                    && x.courseId().equals(m.group(2))).findFirst().orElse(null);
            if (e == null || childrenGone.contains(e.id())) {
                return json(404, "{\"message\":\"no such enrollment\"}");
            }
            return json(200, attempts.matches() ? attemptsOf(e, attempts.group(3)) : childrenOf(e, children.group(3)));
        }
        Matcher lesson = Pattern.compile("/courses/([^/]+)/lessons/([^/]+)/enrollments").matcher(path);
        if (lesson.matches()) {
            Instant[] window = window(query.get("_filter"));
            List<Enrollment> matching = enrollments.stream()
                    .filter(e -> e.courseId().equals(lesson.group(1) + "/" + lesson.group(2)))
                    .filter(e -> !e.edited().isBefore(window[0]) && e.edited().isBefore(window[1])).toList();
            StringJoiner array = new StringJoiner(",", "[", "]");
            for (Enrollment e : slice(matching, page, limit)) {
                array.add("{\"id\":\"" + e.id() + "\",\"lessonId\":\"" + lesson.group(2) + "\",\"name\":\"Lesson\","
                        + "\"userId\":\"" + e.userId() + "\",\"status\":" + e.status() + ",\"progress\":100,"
                        + "\"timeSpent\":\"00:10:00\",\"dateEdited\":\"" + e.edited() + "\"}");
            }
            return page(matching.size(), limit, page, "lessonEnrollments", array.toString());
        }
        Matcher course = Pattern.compile("/courses/([^/]+)/enrollments").matcher(path);
        if (course.matches()) {
            Matcher byId = BY_ID.matcher(query.getOrDefault("_filter", ""));
            Instant[] window = byId.matches() ? new Instant[] {Instant.MIN, Instant.MAX} : window(query.get("_filter"));
            List<Enrollment> matching = new ArrayList<>(enrollments.stream()
                    .filter(e -> e.courseId().equals(course.group(1)))
                    // an enrollment whose children answer 404 was deleted since it was listed
                    .filter(e -> !byId.matches() || e.id().equals(byId.group(1)) && !childrenGone.contains(e.id()))
                    .filter(e -> !e.edited().isBefore(window[0]) && e.edited().isBefore(window[1])).toList());
            // like a database without a total order: equal sort values come back in any order, anew each request,
            // unless the request sorts by id too
            java.util.Collections.shuffle(matching);
            Comparator<Enrollment> order = Comparator.comparing(Enrollment::edited);
            if (List.of(query.getOrDefault("_sort", "").split(",")).contains("id")) {
                order = order.thenComparing(Enrollment::id);
            }
            matching.sort(order);
            int served = pagesServed.get();
            List<Enrollment> items = slice(matching, repeatFirstPage ? 0 : page, limit);
            StringJoiner array = new StringJoiner(",", "[", "]");
            for (Enrollment e : items) {
                array.add("{\"id\":\"" + e.id() + "\",\"courseId\":\"" + e.courseId() + "\",\"courseName\":\"Safety\","
                        + "\"userId\":\"" + e.userId() + "\",\"fullName\":\"Learner " + e.userId() + "\",\"status\":"
                        + e.status() + ",\"progress\":50,\"score\":80,\"timeSpent\":\"01:02:03\",\"isActive\":true,"
                        + "\"dateEdited\":\"" + e.edited() + "\"}");
            }
            int total = matching.size() + Math.min(driftPages, Math.max(0, served - driftFromPage));
            return page(total, limit, page, "enrollments", array.toString());
        }
        return json(404, "{\"message\":\"not found\"}");
    }

    /** A course enrollment's lessons, chapters or sessions: a bare array, as Absorb answers them. */
    private String childrenOf(Enrollment e, String kind) {
        int count = switch (kind) {
            case "lessons" -> lessonsPerEnrollment - (lessonRemoved.contains(e.id()) ? 1 : 0);
            case "chapters" -> chaptersPerEnrollment;
            default -> sessionsPerEnrollment;
        };
        StringJoiner array = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            String common = "\"courseEnrollmentId\":\"" + e.id() + "\",\"userId\":\"" + e.userId()
                    + "\",\"fullName\":\"Learner " + e.userId() + "\",\"status\":" + e.status()
                    + ",\"progress\":100,\"score\":75,\"timeSpent\":\"00:10:00\",\"dateStarted\":\""
                    + e.edited().minusSeconds(60) + "\",\"dateEdited\":\"" + e.edited() + "\"";
            array.add(switch (kind) {
                case "lessons" -> "{\"id\":\"" + e.id() + "-l" + i + "\",\"lessonId\":\"L" + i + "\",\"chapterId\":\"Ch"
                        + i % 2 + "\",\"name\":\"Lesson " + i + "\",\"type\":\"ObjectLesson\",\"attempts\":"
                        + attemptsPerLesson + ",\"failures\":0,\"lastAttempt\":\"" + e.edited() + "\"," + common + "}";
                case "chapters" -> "{\"id\":\"" + e.id() + "-ch" + i + "\",\"chapterId\":\"Ch" + i
                        + "\",\"name\":\"Chapter " + i + "\"," + common + "}";
                default -> "{\"id\":\"" + e.id() + "-s" + i + "\",\"sessionId\":\"S" + i
                        + "\",\"name\":\"Session " + i + "\"," + common + "}";
            });
        }
        return array.toString();
    }

    /** A lesson's attempts: ids, status, score, time in ticks, start and completion; nothing of their parents. */
    private String attemptsOf(Enrollment e, String lessonId) {
        StringJoiner array = new StringJoiner(",", "[", "]");
        for (int k = 0; k < attemptsPerLesson; k++) {
            array.add("{\"id\":\"" + e.id() + "-" + lessonId + "-a" + k + "\",\"status\":" + (k + 1 < attemptsPerLesson
                    ? 5 : 3) + ",\"score\":" + (50 + k * 10) + ",\"timeSpentTicks\":6000000000,\"startDate\":\""
                    + e.edited().minusSeconds(600L * (k + 1)) + "\",\"completionDate\":\""
                    + e.edited().minusSeconds(600L * k) + "\"}");
        }
        return array.toString();
    }

    private ResponseDefinition page(int total, int limit, int page, String field, String items) {
        if (bareArrays) {
            return json(200, items);
        }
        int returned = Json.MAPPER.valueToTree(read(items)).size();
        return json(200, "{\"totalItems\":" + total + ",\"returnedItems\":" + returned + ",\"limit\":" + limit
                + ",\"offset\":" + page + ",\"" + field + "\":" + items + "}");
    }

    private static <T> List<T> slice(List<T> all, int page, int limit) {
        int from = Math.min(all.size(), page * limit);
        return new ArrayList<>(all.subList(from, Math.min(all.size(), from + limit)));
    }

    private static final Pattern FILTER = Pattern.compile(
            "dateEdited ge datetime'([^']+)' and dateEdited lt datetime'([^']+)'");
    private static final Pattern BY_ID = Pattern.compile("id eq guid'([^']+)'");

    /** [from, until) of "dateEdited ge datetime'A' and dateEdited lt datetime'B'"; everything without a filter. */
    private static Instant[] window(String filter) {
        if (filter == null) {
            return new Instant[] {Instant.MIN, Instant.MAX};
        }
        Matcher m = FILTER.matcher(filter);
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected _filter " + filter);
        }
        return new Instant[] {Instant.parse(m.group(1)), Instant.parse(m.group(2))};
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ResponseDefinition json(int status, String body) {
        return answer(status, body).build();
    }

    /**
     * The service set to read this simulator: Absorb on, course c1, history from 200 days back in two
     * windows of 101 days, no settle lag.
     */
    static TestService readBy(TestService service, String baseUrl, Instant now) {
        return service.with("absorb.enabled", "true")
                .with("absorb.base-url", baseUrl)
                .with("absorb.api-key", KEY)
                .with("absorb.username", "sync-user")
                .with("absorb.password", "absorb-test-password")
                .with("absorb.course-ids", "c1")
                .with("absorb.start-date", now.minus(200, ChronoUnit.DAYS).toString())
                .with("absorb.window", "P101D")
                .with("sync.settle-lag", "PT0S");
    }

    /** {@code count} enrollments in the course, edited an hour apart going back from {@code end}. */
    void enroll(String courseId, int count, Instant end) {
        for (int i = 0; i < count; i++) {
            enrollments.add(new Enrollment(courseId + "-e" + i, courseId, "u" + i, i % 13,
                    end.minusSeconds(3600L * (i + 1))));
        }
    }
}

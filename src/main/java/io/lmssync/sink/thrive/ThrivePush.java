package io.lmssync.sink.thrive;

import io.lmssync.record.Json;
import io.lmssync.sink.DeadLetterStore;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.JdbcBatch;
import io.lmssync.sync.SyncRun;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The Thrive push ({@code thrive} in sync.sinks): which completions to send, in Thrive's ids, and what became of
 * them. A completion Thrive accepted (201, or 200: it was already there) is remembered in {@code push_done} and never
 * sent again. One whose learner or content has no Thrive id yet waits in {@code push_pending} with the reason, and is
 * tried again at the end of every run of its stream until the mapping files name both. One Thrive refused (422) becomes
 * a dead letter with Thrive's message.
 */
public final class ThrivePush {

    /** The {@link Push} an exchange carries through {@code direct:thrive-push}. */
    public static final String PUSH = "lmsThrivePush";

    /** A completion with Thrive's ids, ready to send. */
    public record Push(Completion completion, String userId, String contentId) {
        String completedAt() {
            return completion.completedAt();
        }
    }

    private static final String PENDING = """
            MERGE INTO push_pending t
            USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(1024)),
                           CAST(? AS VARCHAR(1024)), CAST(? AS VARCHAR(1100)), CAST(? AS VARCHAR(1100)),
                           CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(4000))))
                  s(record_id, stream, learner_email, learner_external_id, learner_source_user, content, completed_at,
                    reason)
            ON t.record_id = s.record_id
            WHEN MATCHED THEN UPDATE SET reason = s.reason, attempts = t.attempts + 1, last_tried_at = CURRENT_TIMESTAMP
            WHEN NOT MATCHED THEN INSERT (record_id, stream, learner_email, learner_external_id, learner_source_user,
                                          content, completed_at, reason, attempts, first_seen_at, last_tried_at)
                                  VALUES (s.record_id, s.stream, s.learner_email, s.learner_external_id,
                                          s.learner_source_user, s.content, s.completed_at, s.reason, 1,
                                          CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
            """;
    private static final String DONE = """
            MERGE INTO push_done t
            USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)),
                           CAST(? AS VARCHAR(64)), CAST(? AS INT), CAST(? AS VARCHAR(1000))))
                  s(record_id, thrive_user_id, thrive_content_id, completed_at, http_status, answer)
            ON t.record_id = s.record_id
            WHEN MATCHED THEN UPDATE SET http_status = s.http_status, answer = s.answer, pushed_at = CURRENT_TIMESTAMP
            WHEN NOT MATCHED THEN INSERT (record_id, thrive_user_id, thrive_content_id, completed_at, http_status,
                                          answer, pushed_at)
                                  VALUES (s.record_id, s.thrive_user_id, s.thrive_content_id, s.completed_at,
                                          s.http_status, s.answer, CURRENT_TIMESTAMP)
            """;

    private final DataSource dataSource;
    private final DeadLetterStore deadLetters;
    private final MappingFile users;
    private final MappingFile contents;

    public ThrivePush(DataSource dataSource, DeadLetterStore deadLetters, Path userMapFile, Path contentMapFile) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
        this.users = new MappingFile("thrive.user-map-file", userMapFile);
        this.contents = new MappingFile("thrive.content-map-file", contentMapFile);
    }

    /** The chunk's completions Thrive does not hold yet, in Thrive's ids; the rest wait in push_pending. */
    public List<Push> completions(Chunk chunk) throws SQLException {
        List<Completion> completions = chunk.toDeliver().stream().filter(Completion::isCompletion)
                .map(r -> Completion.of(chunk.run().stream(), r)).toList();
        return ready(chunk.run(), completions);
    }

    /** The stream's waiting completions, to try again: those the mapping files now cover are returned to push. */
    public List<Push> pending(Exchange exchange) throws SQLException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        List<Completion> waiting = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT record_id, learner_email, learner_external_id, learner_source_user, content, completed_at "
                        + "FROM push_pending "
                        + "WHERE stream = ? AND last_tried_at < ? ORDER BY record_id")) {
            q.setString(1, run.stream());
            q.setObject(2, run.startedAt().atOffset(ZoneOffset.UTC)); // not those this run parked
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    waiting.add(new Completion(rs.getString(1), run.stream(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return ready(run, waiting);
    }

    private List<Push> ready(SyncRun run, List<Completion> completions) throws SQLException {
        if (completions.isEmpty()) {
            return List.of();
        }
        Set<String> done = alreadyPushed(completions);
        List<Push> ready = new ArrayList<>();
        Map<Completion, String> waiting = new LinkedHashMap<>();
        for (Completion completion : completions) {
            if (done.contains(completion.recordId())) {
                continue;
            }
            Optional<String> user = user(completion);
            Optional<String> content = contents.lookup(completion.content());
            if (user.isPresent() && content.isPresent()) {
                ready.add(new Push(completion, user.get(), content.get()));
            } else {
                waiting.put(completion, reason(completion, user.isEmpty(), content.isEmpty()));
            }
        }
        JdbcBatch.run(dataSource, PENDING, waiting.entrySet(), (merge, e) -> {
            Completion c = e.getKey();
            merge.setString(1, c.recordId());
            merge.setString(2, c.stream());
            merge.setString(3, c.email());
            merge.setString(4, c.externalId());
            merge.setString(5, c.sourceUser());
            merge.setString(6, c.content());
            merge.setString(7, c.completedAt());
            merge.setString(8, e.getValue());
        });
        run.countPush(0, waiting.size(), 0);
        return ready;
    }

    /** The Thrive user: by e-mail, else by external id, else by {@code source:user id}. */
    private Optional<String> user(Completion completion) {
        for (String key : Arrays.asList(completion.email(), completion.externalId(), completion.sourceUser())) {
            Optional<String> user = key == null ? Optional.empty() : users.lookup(key);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    private String reason(Completion completion, boolean noUser, boolean noContent) {
        List<String> missing = new ArrayList<>();
        if (noUser) {
            missing.add("no Thrive user for " + Stream.of(completion.email(), completion.externalId(),
                    completion.sourceUser()).filter(Objects::nonNull).collect(Collectors.joining(" / ")) + " in "
                    + users.setting() + " (" + users.file() + ")");
        }
        if (noContent) {
            missing.add("no Thrive content for " + completion.content() + " in " + contents.setting() + " ("
                    + contents.file() + ")");
        }
        return String.join("; ", missing);
    }

    private Set<String> alreadyPushed(List<Completion> completions) throws SQLException {
        Set<String> done = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT record_id FROM push_done WHERE record_id IN (" + JdbcBatch.parameters(completions.size()) + ")")) {
            for (int i = 0; i < completions.size(); i++) {
                q.setString(i + 1, completions.get(i).recordId());
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    done.add(rs.getString(1));
                }
            }
        }
        return done;
    }

    /** Before the call: the JSON Thrive takes. */
    public void request(Exchange exchange) {
        Push push = exchange.getProperty(PUSH, Push.class);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(Map.of("userId", push.userId(), "contentId", push.contentId(),
                "completedAt", push.completedAt())));
    }

    /** Thrive holds the completion (201 created, 200 already there): it is done, and no longer waits. */
    public void pushed(Exchange exchange) throws SQLException {
        Push push = exchange.getProperty(PUSH, Push.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 201, Integer.class);
        String answer = exchange.getMessage().getBody(String.class);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement merge = c.prepareStatement(DONE);
                    PreparedStatement delete = c.prepareStatement("DELETE FROM push_pending WHERE record_id = ?")) {
                merge.setString(1, push.completion().recordId());
                merge.setString(2, push.userId());
                merge.setString(3, push.contentId());
                merge.setString(4, push.completedAt());
                merge.setInt(5, status);
                merge.setString(6, answer == null ? null : answer.substring(0, Math.min(1000, answer.length())));
                merge.executeUpdate();
                delete.setString(1, push.completion().recordId());
                delete.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        exchange.getProperty(SyncRun.PROPERTY, SyncRun.class).countPush(1, 0, 0);
    }

    /** Thrive refused the completion (422): a dead letter with Thrive's message; it no longer waits. */
    public void refused(Exchange exchange) throws SQLException {
        Push push = exchange.getProperty(PUSH, Push.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 422, Integer.class);
        Chunk letter = new Chunk(run);
        letter.deadLetter(push.completion().recordId(), "Thrive refused the completion (HTTP " + status + "): "
                + message(exchange.getMessage().getBody(String.class)),
                Json.write(Map.of("userId", push.userId(), "contentId", push.contentId(),
                        "completedAt", push.completedAt())));
        deadLetters.store(run.stream() + "/thrive", letter);
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement("DELETE FROM push_pending WHERE record_id = ?")) {
            delete.setString(1, push.completion().recordId());
            delete.executeUpdate();
        }
        run.countPush(0, 0, 1);
    }

    /**
     * A push failed for good (its retries are spent): the caller fails with what Thrive said, and the stream with it,
     * without retrying the chunk around it.
     */
    public void failed(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Push push = null;
        HttpOperationFailedException http = null;
        Throwable root = caught;
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (push == null && t instanceof CamelExchangeException failure && failure.getExchange() != null) {
                push = failure.getExchange().getProperty(PUSH, Push.class);
            }
            if (http == null && t instanceof HttpOperationFailedException h) {
                http = h;
            }
            root = t;
        }
        String which = push == null ? "a completion" : "the completion of " + push.completion().recordId();
        if (http != null && (http.getStatusCode() == 401 || http.getStatusCode() == 403)) {
            throw new ThriveUnavailableException("Thrive rejected the credentials (HTTP " + http.getStatusCode()
                    + ") for " + which + ": check thrive.tenant-id, and thrive.client-id with thrive.client-secret "
                    + "(THRIVE_CLIENT_SECRET) or thrive.api-secret (THRIVE_API_SECRET)");
        }
        throw new ThriveUnavailableException("Thrive did not take " + which + ": " + (http != null ? "HTTP "
                + http.getStatusCode() + " " + message(http.getResponseBody()) : String.valueOf(root))
                + "; the chunk is sent again on the next run");
    }

    /** Thrive could not be reached or kept failing; what it already took is not sent again. */
    public static final class ThriveUnavailableException extends RuntimeException {
        public ThriveUnavailableException(String message) {
            super(message);
        }
    }

    /** Thrive's {"message": ...}, or the answer as it came. */
    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "(no message)";
        }
        try {
            String message = Json.text(Json.MAPPER.readTree(body), "message");
            return message != null ? message : body;
        } catch (java.io.IOException e) {
            return body;
        }
    }
}

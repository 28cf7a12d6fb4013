package io.lmssync.sink.thrive;

import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sink.DeadLetterStore;
import io.lmssync.sink.thrive.CurrentCompletions.Judged;
import io.lmssync.sink.thrive.CurrentCompletions.Verdict;
import io.lmssync.sync.Chunk;
import io.lmssync.sync.RecordIndex;
import io.lmssync.sync.SyncRun;
import io.lmssync.source.AnswerShape;
import io.lmssync.source.SourceRequest;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Thrive push ({@code thrive} in sync.sinks): which completions to send, in Thrive's ids, and what became of
 * them. A completion is a record completed at a time ({@link CompletionTimes}); one Thrive accepted (201, or 200: it
 * was already there) is remembered in {@code push_done} as Thrive counts it (user, content, time) and never sent
 * again, whatever happens to the record meanwhile, while completing the record again is a new completion. One whose
 * learner or content has no Thrive id yet waits in {@code push_pending} with the reason, and is tried again at the
 * end of every run of its stream until the mapping files name both. One Thrive refused (422)
 * becomes a dead letter with Thrive's message, tried again by the stream's {@code retryDeadLetters}. A waiting or
 * refused completion is pushed only while it is still its record's completion ({@link CurrentCompletions}).
 */
public final class ThrivePush {

    private static final Logger LOG = LoggerFactory.getLogger(ThrivePush.class);

    /** The Thrive tenant's account: its budget, its token. */
    public static final String ACCOUNT = "thrive";

    /** The {@link Push} an exchange carries through {@code direct:thrive-push}. */
    public static final String PUSH = "lmsThrivePush";

    /** A completion with Thrive's ids, ready to send. */
    public record Push(Completion completion, String userId, String contentId) {
        String completedAt() {
            return completion.completedAt();
        }

        InThrive inThrive() {
            return new InThrive(userId, contentId, completion.completedAt());
        }
    }

    /** What Thrive counts as one completion: its user, its content, and when it was completed. */
    record InThrive(String userId, String contentId, String completedAt) {
    }

    private final URI completionsUrl;
    private final CompletionBody bodies;
    private final Processor auth;
    private final DeadLetterStore deadLetters;
    private final ThriveIds ids;
    private final PushLedger ledger;
    private final CompletionTimes times;
    private final CurrentCompletions current;
    private final int pageSize;

    /**
     * @param completionsUrl where completions are POSTed ({@code thrive.base-url} and {@code thrive.completions-path})
     * @param fields   the body's names for the user, the content and the completion time ({@code thrive.fields})
     * @param auth     what authenticates a call (OAuth2 client credentials, or Basic with the API secret)
     * @param pageSize waiting and refused completions read at a time (sync.chunk-size)
     */
    public ThrivePush(URI completionsUrl, List<String> fields, Processor auth, DataSource dataSource,
            RecordIndex index, DeadLetterStore deadLetters, Path userMapFile, Path contentMapFile, int pageSize) {
        this.completionsUrl = completionsUrl;
        this.bodies = new CompletionBody(fields);
        this.auth = auth;
        this.deadLetters = deadLetters;
        this.ids = new ThriveIds(userMapFile, contentMapFile);
        this.ledger = new PushLedger(dataSource);
        this.times = new CompletionTimes(dataSource);
        this.current = new CurrentCompletions(index, times);
        this.pageSize = pageSize;
    }

    /** Where Thrive's refusals of a stream's completions are kept among the dead letters. */
    static String refusals(String stream) {
        return stream + "/thrive";
    }

    /**
     * The chunk's completions Thrive does not hold yet, in Thrive's ids; the rest wait in push_pending. A record the
     * chunk delivers as no longer completed loses its completion time: completing it again is new. A tombstone keeps
     * it: a record that vanished (a vendor's bad night, a deletion the guard let through) and comes back completed is
     * the same completion, not a new one.
     */
    public List<Push> completions(Chunk chunk) throws SQLException {
        List<LearningRecord> completed = new ArrayList<>();
        List<String> notCompleted = new ArrayList<>();
        for (LearningRecord record : chunk.toDeliver()) {
            if (Completion.isCompletion(record)) {
                completed.add(record);
            } else if (!record.isDeleted()) {
                notCompleted.add(record.recordId());
            }
        }
        times.forget(notCompleted);
        Map<String, String> at = times.of(completed);
        String stream = chunk.run().stream();
        return ready(chunk.run(), completed.stream().map(r -> Completion.of(stream, r, at.get(r.recordId())))
                .toList());
    }

    /** The stream's waiting completions, a page at a time (each page is tried before the next is read). */
    public Iterator<List<Completion>> pendingPages(Exchange exchange) {
        SyncRun run = run(exchange);
        return new KeysetPages<>("", after -> ledger.waiting(run.stream(), run.startedAt(), after, pageSize),
                Completion::recordId);
    }

    /**
     * A page of waiting completions: those still their record's completion, and now mapped, are returned to push;
     * those no longer current wait no more.
     */
    public List<Push> retryPending(Exchange exchange) throws SQLException {
        SyncRun run = run(exchange);
        @SuppressWarnings("unchecked")
        List<Completion> page = exchange.getMessage().getBody(List.class);
        Map<Completion.Key, Judged> judged = current.judge(run.stream(), page.stream().map(Completion::key).toList());
        List<String> stale = judged.entrySet().stream().filter(e -> e.getValue().verdict() == Verdict.STALE)
                .map(e -> e.getKey().recordId()).toList();
        ledger.dropPending(stale);
        countStale(run, stale.size(), "waiting");
        return ready(run, currentOnes(judged));
    }

    /** The stream's Thrive refusals, a page at a time: what retryDeadLetters sends again. */
    public Iterator<List<DeadLetterStore.Stored>> refusedPages(Exchange exchange) {
        SyncRun run = run(exchange);
        return new KeysetPages<>(0L, after -> deadLetters.page(refusals(run.stream()), after, run.id(), pageSize),
                DeadLetterStore.Stored::id);
    }

    /**
     * A page of refusals: those still their record's completion are returned to push again, in Thrive's ids as the
     * mapping files say now; those no longer current leave the dead-letter store. A refusal that does not say which
     * completion it was stays.
     */
    public List<Push> retryRefused(Exchange exchange) throws SQLException {
        SyncRun run = run(exchange);
        @SuppressWarnings("unchecked")
        List<DeadLetterStore.Stored> page = exchange.getMessage().getBody(List.class);
        Map<Completion.Key, List<Long>> letters = new LinkedHashMap<>();
        for (DeadLetterStore.Stored letter : page) {
            String completedAt = bodies.completedAt(letter.raw());
            if (letter.recordId() != null && completedAt != null) {
                letters.computeIfAbsent(new Completion.Key(letter.recordId(), completedAt), k -> new ArrayList<>())
                        .add(letter.id());
            }
        }
        Map<Completion.Key, Judged> judged = current.judge(run.stream(), letters.keySet());
        List<Long> stale = judged.entrySet().stream().filter(e -> e.getValue().verdict() == Verdict.STALE)
                .flatMap(e -> letters.get(e.getKey()).stream()).toList();
        deadLetters.remove(stale);
        countStale(run, stale.size(), "refused");
        return ready(run, currentOnes(judged));
    }

    private static List<Completion> currentOnes(Map<Completion.Key, Judged> judged) {
        return judged.values().stream().filter(j -> j.verdict() == Verdict.CURRENT).map(Judged::current).toList();
    }

    private static void countStale(SyncRun run, int stale, String what) {
        if (stale > 0) {
            run.countStalePush(stale);
            LOG.info("{}: {} {} Thrive completion(s) no longer their record's completion (deleted, no longer "
                    + "completed, or completed again since): not pushed", run.stream(), stale, what);
        }
    }

    /**
     * The completions Thrive does not hold yet, in Thrive's ids; those without a mapping wait. Those Thrive holds
     * already (sent before a crash let the chunk come again, pushed before the record vanished for a while and came
     * back, or pushed from another record of the same learner, content and time) neither wait nor count as refused
     * any more. A completion twice in the page is sent once.
     */
    private List<Push> ready(SyncRun run, List<Completion> completions) throws SQLException {
        if (completions.isEmpty()) {
            return List.of();
        }
        Set<Completion.Key> doneByRecord = ledger.doneByRecord(completions);
        List<String> settled = new ArrayList<>();
        List<Push> mapped = new ArrayList<>();
        Map<Completion, String> waiting = new LinkedHashMap<>();
        for (Completion completion : completions) {
            if (doneByRecord.contains(completion.key())) {
                settled.add(completion.recordId());
                continue;
            }
            ThriveIds.Mapped inThriveIds = ids.map(completion);
            if (inThriveIds.push() != null) {
                mapped.add(inThriveIds.push());
            } else {
                waiting.put(completion, inThriveIds.missing());
            }
        }
        Set<InThrive> held = ledger.doneInThrive(mapped.stream().map(Push::inThrive).toList());
        Set<InThrive> sending = new HashSet<>();
        List<Push> ready = new ArrayList<>();
        for (Push push : mapped) {
            if (held.contains(push.inThrive())) {
                settled.add(push.completion().recordId());
            } else if (sending.add(push.inThrive())) {
                ready.add(push);
            }
        }
        ledger.dropPending(settled);
        deadLetters.removeRecords(refusals(run.stream()), settled);
        ledger.park(waiting);
        run.countPush(0, waiting.size(), 0);
        return ready;
    }

    /** The completion in the body becomes the call for the Thrive tenant's gateway: a POST of the JSON it takes. */
    public void request(Exchange exchange) {
        Push push = exchange.getMessage().getBody(Push.class);
        exchange.setProperty(PUSH, push);
        request(bodies.of(push)).on(exchange);
    }

    /** A POST of a completion's body to Thrive (a check's, too). */
    public SourceRequest request(String body) {
        return new SourceRequest(ACCOUNT, "POST", completionsUrl, body, Map.of(), auth, AnswerShape.ARRAY);
    }

    /** The JSON Thrive takes for a completion, in the names of {@code thrive.fields} (a check's, too). */
    public String body(String userId, String contentId, String completedAt) {
        return bodies.of(userId, contentId, completedAt);
    }

    /** The body's names for the user, the content and the completion time. */
    public List<String> fields() {
        return bodies.fields();
    }

    /**
     * Thrive holds the completion (201 created, 200 already there): it is done, its record no longer waits, and
     * Thrive's earlier refusals of the record are resolved.
     */
    public void pushed(Exchange exchange) throws SQLException {
        Push push = exchange.getProperty(PUSH, Push.class);
        SyncRun run = run(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 201, Integer.class);
        ledger.pushed(push, status, exchange.getMessage().getBody(String.class));
        deadLetters.removeRecords(refusals(run.stream()), List.of(push.completion().recordId()));
        run.countPush(1, 0, 0);
    }

    /**
     * Thrive refused the completion (422): a dead letter with Thrive's message, replacing the record's earlier
     * refusals; it no longer waits.
     */
    public void refused(Exchange exchange) throws SQLException {
        Push push = exchange.getProperty(PUSH, Push.class);
        SyncRun run = run(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 422, Integer.class);
        Chunk letter = new Chunk(run);
        letter.deadLetter(push.completion().recordId(), "Thrive refused the completion (HTTP " + status + "): "
                + Json.answerMessage(exchange.getMessage().getBody(String.class)),
                bodies.of(push));
        deadLetters.storeLatest(refusals(run.stream()), letter);
        ledger.dropPending(List.of(push.completion().recordId()));
        run.countPush(0, 0, 1);
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    /**
     * A push failed for good (its retries are spent): the caller fails with what Thrive said, and the stream with it,
     * without retrying the chunk around it.
     */
    public void failed(Exchange exchange) {
        throw PushFailure.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    /** Thrive could not be reached or kept failing; what it already took is not sent again. */
    public static final class ThriveUnavailableException extends RuntimeException {
        public ThriveUnavailableException(String message) {
            super(message);
        }
    }
}

package io.lmssync.sink.xapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.record.Json;
import io.lmssync.record.LearningRecord;
import io.lmssync.sink.Refusals;
import io.lmssync.source.BasicAuth;
import io.lmssync.sink.xapi.Lrs.LrsUnavailableException;
import io.lmssync.sink.xapi.StatementLedger.Sent;
import io.lmssync.sync.Chunk;
import io.lmssync.source.RateBudget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xapi sink ({@code xapi} in sync.sinks): a chunk's records as xAPI statements, one batch POST to the LRS. A
 * record's completion state the LRS holds already is not sent again; a state the record left (deleted, or changed
 * to another) is voided. The chunk counts only when the LRS took the batch; a statement the schema or the LRS
 * refuses (400) is a refusal of its record, which the delivery isolates into the dead letters.
 */
public final class XapiSink {

    private static final Logger LOG = LoggerFactory.getLogger(XapiSink.class);

    /** The account whose budget the sink's calls spend: the keys {@code sync.xapi.requests-per-minute}, ... */
    public static final String ACCOUNT = "sync.xapi";

    private final Lrs lrs;
    private final XapiStatements statements;
    private final StatementSchema schema;
    private final StatementLedger ledger;

    XapiSink(Lrs lrs, XapiStatements statements, StatementSchema schema, StatementLedger ledger) {
        this.lrs = lrs;
        this.statements = statements;
        this.schema = schema;
        this.ledger = ledger;
    }

    /**
     * The sink from its settings (failing start-up naming the key): the LRS's endpoint and credentials, the actor and
     * activity choices, and the budget its calls spend.
     */
    public static XapiSink of(Settings settings, DataSource dataSource, RateBudget budget) {
        URI endpoint = settings.url("sync.xapi.endpoint");
        String why = "xapi is in sync.sinks, and an LRS takes HTTP Basic with the key and secret it issued";
        String user = settings.required("sync.xapi.username", why);
        String password = settings.secret("sync.xapi.password", why);
        String authorization = new BasicAuth(user, password).headerValue();
        String actor = settings.text("sync.xapi.actor");
        if (!actor.equals("account") && !actor.equals("mbox")) {
            throw new ConfigurationException("sync.xapi.actor must be account or mbox, not '" + actor + "'");
        }
        settings.positiveInt("sync.xapi.requests-per-minute");
        Lrs.Retries retries = new Lrs.Retries(settings.positiveInt("sync.retry.max-redeliveries"),
                settings.positiveInt("sync.rate-limit.max-retries"),
                Duration.ofMillis(settings.positiveInt("sync.retry.delay-ms")),
                Duration.ofMillis(settings.positiveInt("sync.retry.max-delay-ms")));
        Lrs lrs = new Lrs(endpoint, authorization, budget, retries,
                Duration.ofMillis(settings.positiveInt("sync.http.connect-timeout-ms")),
                Duration.ofMillis(settings.positiveInt("sync.http.response-timeout-ms")));
        XapiStatements statements = new XapiStatements(XapiStatements.Actor.valueOf(actor.toUpperCase(Locale.ROOT)),
                activityBase(settings), settings.flag("sync.xapi.send-progressed"), endpoint.toString());
        return new XapiSink(lrs, statements, new StatementSchema(), new StatementLedger(dataSource));
    }

    /**
     * The IRI activity ids start with, when set: absolute (a scheme), or every statement would fail the schema and
     * every completion would become a dead letter, run after run, rather than the start failing once, naming it.
     */
    private static String activityBase(Settings settings) {
        return settings.optional("sync.xapi.activity-base").map(base -> {
            try {
                if (new URI(base).isAbsolute()) {
                    return base;
                }
            } catch (java.net.URISyntaxException e) {
                // named below
            }
            throw new ConfigurationException("sync.xapi.activity-base must be an absolute IRI such as "
                    + "https://lms.example.com/activities, not '" + base + "'");
        }).orElse(null);
    }

    /** The statements the chunk's records need, and voidings of what they no longer state; sent, then remembered. */
    public void deliver(Chunk chunk) throws SQLException, InterruptedException {
        List<LearningRecord> records = chunk.toDeliver();
        if (records.isEmpty()) {
            return;
        }
        Map<String, List<Sent>> held = ledger.of(records.stream().map(LearningRecord::recordId).toList());
        List<ObjectNode> batch = new ArrayList<>();
        List<Sent> took = new ArrayList<>();
        Map<UUID, UUID> voided = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (LearningRecord record : records) {
            if (!seen.add(record.recordId())) {
                continue;
            }
            List<Sent> sent = held.getOrDefault(record.recordId(), List.of());
            String state = statements.state(record);
            if (state != null && sent.stream().noneMatch(s -> !s.voided() && s.state().equals(state))) {
                int voidedBefore = (int) sent.stream().filter(s -> s.state().equals(state)).count();
                UUID id = XapiStatements.id(record.recordId(), state, voidedBefore);
                ObjectNode statement = statements.statement(record, state, id);
                schema.problems(statement).ifPresent(problems -> {
                    throw new Refusals.RefusedRecord("it cannot become a valid xAPI statement: " + problems);
                });
                batch.add(statement);
                took.add(new Sent(id, record.recordId(), state, false));
            }
            for (Sent old : sent) {
                if (!old.voided() && !old.state().equals(state)) {
                    batch.add(statements.voiding(record.recordId(), old.id()));
                    voided.put(old.id(), XapiStatements.voidingId(old.id()));
                }
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        post(batch);
        ledger.took(took, voided);
        chunk.run().countStatements(took.size(), voided.size());
    }

    /** One POST of the batch; a 409 (the LRS holds another body under an id) sends them one at a time instead. */
    private void post(List<ObjectNode> batch) throws InterruptedException {
        HttpResponse<String> answer = lrs.call("POST", "statements", Json.write(batch));
        if (answer.statusCode() != 409) {
            expect(answer, "a batch of " + batch.size() + " statement(s)");
            return;
        }
        for (ObjectNode statement : batch) {
            String id = statement.get("id").asText();
            HttpResponse<String> one = lrs.call("PUT", "statements?statementId=" + id, Json.write(statement));
            if (one.statusCode() == 409) {
                // never overwritten: what the LRS holds under the id stays; a changed state has an id of its own
                LOG.warn("the LRS holds another statement under id {} ({}): left as it is", id, Json.answerMessage(one.body()));
            } else {
                expect(one, "statement " + id);
            }
        }
    }

    /** A 2xx from an LRS of xAPI 1.0.x; a 400 is a refusal of what a record holds; anything else fails the chunk. */
    private void expect(HttpResponse<String> answer, String what) {
        int status = answer.statusCode();
        // a proxy in front of the LRS refuses credentials without the LRS's version header: they are named first
        if (status == 401 || status == 403) {
            throw new LrsUnavailableException("the LRS at " + lrs.endpoint() + " rejected the credentials (HTTP "
                    + status + "): check sync.xapi.username and sync.xapi.password (SYNC_XAPI_PASSWORD)");
        }
        Lrs.wrongVersion(answer).ifPresent(version -> {
            throw new LrsUnavailableException("the LRS at " + lrs.endpoint() + " answered " + Lrs.VERSION_HEADER
                    + ": " + version + "; lms-sync speaks xAPI 1.0.x (" + Lrs.VERSION + ")");
        });
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 400) {
            throw new Refusals.RefusedRecord("the LRS refused it (HTTP 400): " + Json.answerMessage(answer.body()));
        }
        throw new LrsUnavailableException("the LRS at " + lrs.endpoint() + " did not take " + what + ": HTTP "
                + status + " " + Json.answerMessage(answer.body()) + "; the chunk is sent again on the next run");
    }

    /** What the LRS says at first contact: its about's status and versions, and whether it takes the credentials. */
    public record Probe(int aboutStatus, List<String> versions, int statementsStatus, String refusal) {
    }

    /** The LRS's xAPI base, ending in a slash. */
    public String endpoint() {
        return lrs.endpoint().toString();
    }

    /** A GET of {@code about}, and of one statement: what a first-contact check reads (no statement is sent). */
    public Probe probe() throws InterruptedException {
        HttpResponse<String> about = lrs.call("GET", "about", null);
        List<String> versions = new ArrayList<>();
        try {
            Json.MAPPER.readTree(about.body()).path("version").forEach(v -> versions.add(v.asText()));
        } catch (IOException e) {
            // no JSON: no versions
        }
        HttpResponse<String> one = lrs.call("GET", "statements?limit=1", null);
        return new Probe(about.statusCode(), versions, one.statusCode(), Json.answerMessage(one.body()));
    }
}

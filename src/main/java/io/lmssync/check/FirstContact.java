package io.lmssync.check;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.check.Check.Outcome;
import io.lmssync.record.LearningRecord;
import io.lmssync.sink.thrive.ThrivePush;
import io.lmssync.sink.xapi.XapiSink;
import io.lmssync.source.Answer;
import io.lmssync.source.FollowedPartitions;
import io.lmssync.source.OffsetPaging;
import io.lmssync.source.Partitioning;
import io.lmssync.source.RateBudget;
import io.lmssync.source.RateBudgets;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Source;
import io.lmssync.source.Stream;
import io.lmssync.source.Sources;
import io.lmssync.sync.AccountSlots;
import io.lmssync.sync.Partitions;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncWindows;
import io.lmssync.sync.SyncWindows.Window;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First contact with a tenant: for every enabled stream (and the Thrive push), the few smallest requests a sync would
 * make, through the account's budget, proving every guess the vendors' pages leave open ({@link StreamCheck},
 * {@link ThriveCheck}); a child stream is asked for the children of a record its parent's check just read. It writes
 * to no sink and moves no cursor; it records each stream's outcome ({@code stream_check}) for the status page and
 * health. It also guards a stream's first sync: a stream that never synced starts only when its check passes, or an
 * operator overrides it ({@code sync.check.override}, or the stream's {@code overrideCheck}).
 */
public final class FirstContact {

    private static final Logger LOG = LoggerFactory.getLogger(FirstContact.class);

    private final CamelContext context;
    private final Sources sources;
    private final Settings settings;
    private final RateBudgets budgets;
    private final AccountSlots accounts;
    private final CheckStore store;
    private final Clock clock;
    private final boolean thrive;
    private final boolean gate;
    private final Set<String> overrides;
    /** Streams whose check passed in this process: their first sync needs no second one. */
    private final Set<String> passed = ConcurrentHashMap.newKeySet();

    public FirstContact(CamelContext context, Sources sources, Settings settings, RateBudgets budgets,
            AccountSlots accounts, CheckStore store, Clock clock, boolean thrive) {
        this.context = context;
        this.sources = sources;
        this.settings = settings;
        this.budgets = budgets;
        this.accounts = accounts;
        this.store = store;
        this.clock = clock;
        this.thrive = thrive;
        this.gate = settings.flag("sync.check.first-sync");
        this.overrides = Set.copyOf(settings.list("sync.check.override"));
    }

    /** Every stream that can be checked: each enabled stream, and {@code thrive} when it is a sink. */
    public List<String> checkable() {
        List<String> all = new ArrayList<>();
        sources.enabled().forEach(source -> all.addAll(sources.streams(source.key())));
        if (thrive) {
            all.add(ThriveCheck.STREAM);
        }
        if (xapi() != null) {
            all.add(XapiCheck.STREAM);
        }
        return all;
    }

    /**
     * Checks the named streams (none: all), holding each account's one-run slot where it has one, as a run does.
     * A name that is no stream of an enabled source is a configuration error.
     */
    public CheckReport check(List<String> streams) throws Exception {
        for (String stream : streams) {
            if (!checkable().contains(stream)) {
                throw new ConfigurationException("--check names '" + stream + "', which is not a stream of an enabled"
                        + " source (nor thrive or xapi, sinks in sync.sinks): one of " + checkable());
            }
        }
        return check(streams.isEmpty() ? checkable() : streams, true);
    }

    private CheckReport check(List<String> requested, boolean holdSlots) throws Exception {
        Set<String> needed = new LinkedHashSet<>();
        requested.forEach(stream -> withParents(stream, needed));
        List<Check> checks = new ArrayList<>();
        try (SourceCalls calls = new SourceCalls(context, budgets, settings.positiveInt("sync.rate-limit.max-retries"))) {
            Map<String, List<LearningRecord>> read = new HashMap<>();
            for (Source source : sources.enabled()) {
                List<Stream> streams = sources.declared(source.key()).stream().filter(s -> needed.contains(s.id()))
                        .toList();
                if (!streams.isEmpty()) {
                    String slot = holdSlots ? accounts.slotOf(source.account()) : null;
                    if (slot != null) {
                        accounts.hold(slot, "--check");
                    }
                    try {
                        streams.forEach(stream -> read.put(stream.id(), check(source, stream, read, calls, checks)));
                    } finally {
                        if (slot != null) {
                            accounts.release(slot);
                        }
                    }
                }
            }
            if (needed.contains(ThriveCheck.STREAM)) {
                checkThrive(calls, checks);
            }
            if (needed.contains(XapiCheck.STREAM)) {
                XapiCheck.run(xapi(), checks);
            }
            CheckReport report = new CheckReport(checks, calls.requests());
            remember(report);
            return report;
        }
    }

    /** One stream's checks; the records its check mapped (a child's check reads their children). */
    private List<LearningRecord> check(Source source, Stream declared, Map<String, List<LearningRecord>> read,
            SourceCalls calls, List<Check> checks) {
        String stream = declared.id();
        SyncRun run = new SyncRun(0, source.key(), source.account(), stream, sources.tenant(source),
                clock.instant(), SyncRun.Mode.CHECK, declared.windowed());
        try {
            StreamParts parts = new StreamParts(declared.requests(), declared.mapper());
            RateBudget budget = budgets.accounts().stream().filter(b -> b.account().equals(source.account()))
                    .findFirst().orElse(null);
            StreamCheck check = new StreamCheck(stream, parts, run, calls, String.join(", ",
                    source.credentialKeys()), budget == null ? null : budget.countHeader(), checks);
            Window window = window(source, declared);
            if (declared.parent() != null) {
                List<List<String>> handed = read.getOrDefault(declared.parent(), List.of()).stream()
                        .map(declared.handOver()).filter(java.util.Objects::nonNull).distinct().limit(3)
                        .map(List::of).toList();
                if (handed.isEmpty()) {
                    checks.add(Check.warning(stream, "path", "the check of " + declared.parent() + " read no record "
                            + "to read the children of: the path is not proven", String.join(", ",
                                    parts.plan().settings())));
                    return List.of();
                }
                return check.run(handed, window, "the children of a record " + declared.parent() + " just read");
            }
            return check.run(batches(parts.plan(), run, calls, checks), window, null);
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            checks.add(Check.failed(stream, "answer", "the check could not finish: " + io.lmssync.ops.Redaction
                    .redact(String.valueOf(e.getMessage())), ""));
            return List.of();
        }
    }

    /**
     * The batches a check asks about: the stream's first partitions (a roster's first batch, the configured courses),
     * or those the source's own listing's first page names; one empty batch for a stream read whole.
     */
    private List<List<String>> batches(RequestPlan plan, SyncRun run, SourceCalls calls, List<Check> checks)
            throws Exception {
        Partitioning partitioning = plan.partitioning();
        List<String> keys;
        RequestPlan lister = partitioning.listing();
        if (lister != null) {
            Answer listed = calls.call(run, lister.request(List.of(), null, lister.paging().start(lister.what(
                    List.of()))));
            String said = lister.method() + " " + lister.path() + " answered HTTP " + listed.status();
            if (!listed.ok() || listed.ids() == null) {
                checks.add(Check.failed(run.stream(), "listing", said + ": " + listed.refusal(),
                        String.join(", ", lister.settings())));
                return List.of();
            }
            checks.add(Check.ok(run.stream(), "listing", said + " with " + listed.records() + " of "
                    + listed.totalItems() + " listed"));
            keys = listed.ids();
        } else {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(SyncRun.PROPERTY, run);
            Partitions partitions = partitioning.read(exchange);
            if (partitions == null) {
                return List.of(List.of());
            }
            keys = partitions.keys();
        }
        List<List<String>> batches = new ArrayList<>();
        int size = partitioning.batchSize();
        for (int i = 0; i < keys.size() && batches.size() < 3; i += size) {
            batches.add(List.copyOf(keys.subList(i, Math.min(i + size, keys.size()))));
        }
        return batches;
    }

    /**
     * The window a check asks about: none for a snapshot; a paged stream's whole history (one page costs the same);
     * otherwise the last of its windows, which an unpaged answer keeps small.
     */
    private Window window(Source source, Stream stream) {
        RequestPlan plan = stream.requests();
        if (!stream.windowed()) {
            return null;
        }
        Instant until = clock.instant().minus(settings.duration("sync.settle-lag")).truncatedTo(ChronoUnit.SECONDS);
        Instant start = SyncWindows.startDate(settings, source.key());
        if (!(plan.paging() instanceof OffsetPaging)) {
            Instant last = until.minus(settings.duration(source.key() + ".window"));
            start = start.isAfter(last) ? start : last;
        }
        return new Window(1, 1, start, until);
    }

    private void checkThrive(SourceCalls calls, List<Check> checks) {
        SyncRun run = new SyncRun(0, ThrivePush.ACCOUNT, ThrivePush.ACCOUNT, ThriveCheck.STREAM,
                settings.url("thrive.base-url").getHost(), clock.instant(), SyncRun.Mode.CHECK, false);
        try {
            ThriveCheck.run(context.getRegistry().lookupByNameAndType("thrivePush", ThrivePush.class), run, calls,
                    checks);
        } catch (Exception e) {
            checks.add(Check.failed(ThriveCheck.STREAM, "answer", "the check could not finish: "
                    + io.lmssync.ops.Redaction.redact(String.valueOf(e.getMessage())), ""));
        }
    }

    /** The xapi sink when it is in sync.sinks, else null. */
    private XapiSink xapi() {
        return context.getRegistry().lookupByNameAndType("xapiSink", XapiSink.class);
    }

    /** Each stream's outcome, for the status page, health and the gate. */
    private void remember(CheckReport report) throws SQLException {
        Instant now = clock.instant();
        for (Map.Entry<String, Outcome> stream : report.byStream().entrySet()) {
            store.save(stream.getKey(), stream.getValue(), report.summary(stream.getKey()), now);
            if (stream.getValue() != Outcome.FAILED) {
                passed.add(stream.getKey());
            } else {
                passed.remove(stream.getKey());
            }
        }
    }

    /** The stream and, before it, the streams it follows: a child's check reads the children of its parent's. */
    private void withParents(String stream, Set<String> needed) {
        String parent = checkable().contains(stream) && !stream.equals(ThriveCheck.STREAM)
                && !stream.equals(XapiCheck.STREAM) ? sources.stream(stream).parent() : null;
        if (parent != null) {
            withParents(parent, needed);
        }
        needed.add(stream);
    }

    /**
     * Why a run of the stream must not start: it never synced, and its first-contact check (run now, with the slots
     * the run holds) failed; empty when it may start.
     */
    public Optional<String> refuses(String stream) throws Exception {
        if (!gate || overrides.contains(stream) || passed.contains(stream) || store.synced(stream)) {
            return Optional.empty();
        }
        if (store.last(stream).map(CheckStore.Stored::overridden).orElse(false)) {
            return Optional.empty();
        }
        CheckReport report = check(List.of(stream), false);
        if (report.byStream().getOrDefault(stream, Outcome.OK) != Outcome.FAILED) {
            LOG.info("{}: first-contact check passed ({} request(s)): its first sync starts", stream,
                    report.requests());
            return Optional.empty();
        }
        return Optional.of("its first-contact check failed, so its first sync does not start: " + report.summary(stream)
                + ". Fix the settings named (java -jar lms-sync.jar --check " + stream + " shows the evidence), or "
                + "let it start anyway with sync.check.override=" + stream + " or the stream's overrideCheck (JMX)");
    }

    /** An operator lets a stream whose check failed start its first sync (audited by the caller). */
    public void override(String stream, String by) throws SQLException {
        store.override(stream, by, clock.instant());
    }

    public CheckStore store() {
        return store;
    }
}

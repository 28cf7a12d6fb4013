package io.lmssync.source;

import io.lmssync.source.RequestPlan.SourceRefusedException;
import io.lmssync.source.WhenRefused.Fail;
import io.lmssync.source.WhenRefused.Gone;
import io.lmssync.source.WhenRefused.Probe;
import io.lmssync.source.WhenRefused.Reaction;
import io.lmssync.source.WhenRefused.Skip;
import io.lmssync.source.WhenRefused.Split;
import io.lmssync.sync.SyncRun;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source's refusal of one of a plan's requests that the account's gateway let through ({@code ok-status}), or the
 * answer to a probe a refusal asked for, and what the scan does about it: what the plan's {@link WhenRefused} makes of
 * it (a split, a partition left out, a probe, what the partition read gone), or the stream failing, naming the
 * settings that shape the request.
 */
final class Refusal {

    /** The plan's logger: these lines keep the name operators' log settings know them by. */
    private static final Logger LOG = LoggerFactory.getLogger(RequestPlan.class);

    private final RequestPlan plan;
    private final Exchange exchange;
    private final Answer answer;

    Refusal(RequestPlan plan, Exchange exchange, Answer answer) {
        this.plan = plan;
        this.exchange = exchange;
        this.answer = answer;
    }

    /** The scan reacts: the probe under way judges the answer, or else the plan's {@link WhenRefused} the refusal. */
    void takenBy(Scan scan) {
        Reaction reaction;
        if (scan.probe != null) {
            reaction = scan.probe.judge(answer);
            scan.probe = null;
        } else {
            reaction = plan.whenRefused().react(answer, scan.batch.keys());
        }
        if (reaction instanceof Probe probe) {
            scan.probe = probe;
        } else if (reaction instanceof Gone) {
            LOG.info("{}: {} answered HTTP {} and is gone at the source: read as no records",
                    run().stream(), plan.what(scan.batch.keys()), answer.status());
            scan.pages = Paging.none().start("");
            scan.pages.read(answer);
        } else if (reaction instanceof Split) {
            scan.split();
        } else if (reaction instanceof Skip skip) {
            skip(scan, skip);
        } else if (reaction instanceof Fail) {
            throw failure();
        }
    }

    /** One partition the source refused is left out of the rest of the run; every one of a batch fails the stream. */
    private void skip(Scan scan, Skip skip) {
        SyncRun run = run();
        Scan.Planned planned = scan.batch.planned();
        planned.refused++;
        if (planned.size > 1 && planned.refused == planned.size) {
            throw new SourceRefusedException(run.source() + " refused each of the " + planned.size + " partitions of"
                    + " a batch of " + plan.method() + " " + plan.what(List.of()) + " one by one (HTTP "
                    + answer.status() + ": " + answer.refusal() + "): the request is at fault, not the partitions;"
                    + " check " + settingsText());
        }
        run.skipPartition(scan.batch.keys().get(0));
        LOG.warn("{}: {} refused by {} (HTTP {}: {}): left out of this run", run.stream(), skip.which(),
                run.source(), answer.status(), answer.refusal());
        scan.batch = null;
    }

    /** The stream fails: the source refused the request, which the settings shape. */
    SourceRefusedException failure() {
        SourceRequest request = SourceRequest.of(exchange);
        String path = request == null ? plan.path() : request.uri().getRawPath();
        return new SourceRefusedException(run().source() + " refused " + plan.method() + " " + path + " (HTTP "
                + answer.status() + ": " + answer.refusal() + "): check " + settingsText());
    }

    private String settingsText() {
        return plan.settings().isEmpty() ? plan.account() + ".base-url" : String.join(", ", plan.settings());
    }

    private SyncRun run() {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }
}

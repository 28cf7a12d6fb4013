package io.lmssync.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.lmssync.record.LearningRecord;
import io.lmssync.source.Answer;
import io.lmssync.source.OffsetPaging;
import io.lmssync.source.Paging.Pages;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.SourceRequest;
import io.lmssync.source.WindowPlacement.Sorted;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncWindows.Window;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.camel.Processor;

/**
 * The first contact of one stream, with the parts a sync uses: one request for a batch of partitions, a window and
 * the first page; then what its answer proves. The credentials are taken and the path answers; the answer has the
 * shape the plan reads; the first records carry their ids and the fields the mapper reads, and map; the source serves
 * the page size asked for (or a sync follows the one it serves) and its offset means what the plan thinks (one more
 * request of two records); a sorted answer comes in order, and a refused sort is told from a refused filter; the
 * vendor's count header, when the budget reads one, is there.
 */
final class StreamCheck {

    private final String stream;
    private final RequestPlan plan;
    private final Processor mapper;
    private final SyncRun run;
    private final SourceCalls calls;
    private final String credentials;
    private final String countHeader;
    private final List<Check> checks;

    /**
     * @param credentials the source's credential settings, named when they are refused
     * @param countHeader the header the account's budget reads the vendor's count from, or null
     */
    StreamCheck(String stream, StreamParts parts, SyncRun run, SourceCalls calls, String credentials,
            String countHeader, List<Check> checks) {
        this.stream = stream;
        this.plan = parts.plan();
        this.mapper = parts.mapper();
        this.run = run;
        this.calls = calls;
        this.credentials = credentials;
        this.countHeader = countHeader;
        this.checks = checks;
    }

    /**
     * Asks for the first page of each batch in turn until one holds records (at most three), checks the answer, and
     * returns the records it mapped; none when the source refused.
     *
     * @param known what the batches' partitions are, for the evidence ("an enrollment Absorb just listed"), or null
     */
    List<LearningRecord> run(List<List<String>> batches, Window window, String known) throws Exception {
        Answer answer = null;
        List<String> batch = List.of();
        SourceRequest request = null;
        for (List<String> candidate : batches.subList(0, Math.min(3, batches.size()))) {
            batch = candidate;
            Pages pages = plan.paging().start(plan.what(batch));
            request = plan.request(batch, window, pages);
            answer = calls.call(run, request);
            if (!answer.ok() || answer.records() > 0) {
                break;
            }
        }
        if (answer == null) {
            checks.add(Check.warning(stream, "path", "no partition to ask about", String.join(", ", plan.settings())));
            return List.of();
        }
        String asked = plan.method() + " " + request.uri().getRawPath() + (known == null ? "" : " (" + known + ")");
        if (!answer.ok()) {
            refused(answer, asked, request);
            return List.of();
        }
        checks.add(Check.ok(stream, "authentication", "HTTP " + answer.status() + " with the configured credentials"));
        checks.add(Check.ok(stream, "path", asked + " answered"));
        if (plan.method().equals("POST") && request.body() != null) {
            checks.add(Check.ok(stream, "request body", "accepted: " + request.body()));
        }
        shape(answer);
        List<LearningRecord> records = new SampleCheck(stream, mapper, run, String.join(", ", plan.settings()), checks)
                .check(answer, batch, window);
        if (plan.paging() instanceof OffsetPaging paging) {
            new PagingCheck(stream, plan, paging, run, calls, checks).check(answer, batch, window);
        }
        sorted(answer);
        countHeader(answer);
        return records;
    }

    /** The source refused the first request: which setting that points to. */
    private void refused(Answer answer, String asked, SourceRequest request) throws Exception {
        String said = asked + " answered HTTP " + answer.status() + ": " + answer.refusal();
        String settings = String.join(", ", plan.settings());
        switch (answer.status()) {
            case 401, 403 -> checks.add(Check.failed(stream, "authentication", said, credentials));
            case 404 -> checks.add(Check.failed(stream, "path", said, settings));
            case 400, 422 -> checks.add(refusedRequest(answer, said, request, settings));
            default -> checks.add(Check.failed(stream, "answer", said + " (the source failed: check again later)",
                    ""));
        }
    }

    /**
     * A request refused as invalid: when it is sorted, asked once more without the sort, which tells a refused sort
     * (our choice of sort keys) from anything else.
     */
    private Check refusedRequest(Answer answer, String said, SourceRequest request, String settings)
            throws Exception {
        if (plan.window() instanceof Sorted sorted) {
            String uri = request.uri().toString().replaceAll("([?&])" + sorted.sortParam() + "=[^&]*&?", "$1")
                    .replaceAll("[?&]$", "");
            Answer unsorted = calls.call(run, request.at(java.net.URI.create(uri)));
            if (unsorted.ok()) {
                return Check.failed(stream, "sort", said + "; the same request without " + sorted.sortParam() + "="
                        + sorted.sort() + " is answered: the source does not allow that sort", settings);
            }
        }
        return Check.failed(stream, plan.method().equals("POST") ? "request body" : "request", said, settings);
    }

    private void shape(Answer answer) {
        String got = answer.envelope().isEmpty() ? answer.records() + " record(s) in a bare array"
                : answer.records() + " record(s) in an envelope " + answer.envelope();
        if (plan.shape().totalField() != null && answer.totalItems() == null
                && plan.paging() instanceof OffsetPaging) {
            checks.add(Check.warning(stream, "answer shape", got + ": no " + plan.shape().totalField()
                    + ", so a scan ends on the first short page (a source serving fewer than asked would be cut short)",
                    ""));
            return;
        }
        checks.add(Check.ok(stream, "answer shape", got + (answer.truncated() ? " (read up to " + SourceCalls.HEAD
                + ")" : "") + "; read as " + plan.shape().describe()));
    }

    /** A sorted answer comes in the order of its first sort key (the page probe proves the order of ties). */
    private void sorted(Answer answer) {
        if (!(plan.window() instanceof Sorted sorted) || answer.head().size() < 2) {
            return;
        }
        String key = sorted.sort().split(",")[0].trim();
        boolean descending = key.startsWith("-");
        String field = descending ? key.substring(1) : key;
        List<JsonNode> head = answer.head();
        for (int i = 1; i < head.size(); i++) {
            int order = compare(head.get(i - 1).get(field), head.get(i).get(field));
            if (descending ? order < 0 : order > 0) {
                checks.add(Check.failed(stream, "sort", "record " + (i + 1) + " comes before record " + i + " by "
                        + field + ": the source does not honour " + sorted.sortParam() + "=" + sorted.sort()
                        + ", and pages over an unstable order skip and repeat records",
                        String.join(", ", plan.settings())));
                return;
            }
        }
        checks.add(Check.ok(stream, "sort", head.size() + " records in " + field + " order (" + sorted.sortParam()
                + "=" + sorted.sort() + " accepted)"));
    }

    /** Two values of a sort field: numbers as numbers, instants as instants, the rest as text; a missing one first. */
    static int compare(JsonNode a, JsonNode b) {
        if (a == null || a.isNull() || b == null || b.isNull()) {
            return (a == null || a.isNull() ? 0 : 1) - (b == null || b.isNull() ? 0 : 1);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        try {
            return Instant.parse(a.asText()).compareTo(Instant.parse(b.asText()));
        } catch (DateTimeParseException e) {
            return a.asText().compareTo(b.asText());
        }
    }

    /** The header the account's budget reads the vendor's own count from. */
    private void countHeader(Answer answer) {
        if (countHeader == null) {
            return;
        }
        String counted = answer.header(countHeader);
        if (counted == null) {
            checks.add(Check.warning(stream, "count header", "the answer has no " + countHeader + ": the budget cannot"
                    + " see another client of the account", run.account() + ".vendor-count-header"));
        } else {
            checks.add(Check.ok(stream, "count header", countHeader + ": " + counted));
        }
    }
}

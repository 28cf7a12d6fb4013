package io.lmssync.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lmssync.check.Check.Outcome;
import io.lmssync.record.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a first-contact check found: every check, how many requests it took, and how it went overall. */
public record CheckReport(List<Check> checks, long requests) {

    public CheckReport {
        checks = List.copyOf(checks);
    }

    /** The worst outcome of all checks (ok when there were none). */
    public Outcome outcome() {
        return checks.stream().map(Check::outcome).reduce(Outcome.OK, Outcome::worst);
    }

    /** Each stream's worst outcome, in the order they were checked. */
    public Map<String, Outcome> byStream() {
        Map<String, Outcome> streams = new LinkedHashMap<>();
        checks.forEach(c -> streams.merge(c.stream(), c.outcome(), Outcome::worst));
        return streams;
    }

    /** A stream's checks. */
    public List<Check> of(String stream) {
        return checks.stream().filter(c -> c.stream().equals(stream)).toList();
    }

    /**
     * One line on what failed (or warned) of a stream, each naming the settings to fix before its evidence (which a
     * short surface may cut); empty when all held.
     */
    public String summary(String stream) {
        return String.join("; ", of(stream).stream().filter(c -> c.outcome() != Outcome.OK)
                .map(c -> c.name() + " " + c.outcome().label() + (c.setting().isEmpty() ? ""
                        : " (check " + c.setting() + ")") + ": " + c.evidence())
                .toList());
    }

    /** The table the console shows: a row per check. */
    public String table() {
        int stream = Math.max(6, checks.stream().mapToInt(c -> c.stream().length()).max().orElse(0));
        int name = Math.max(5, checks.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        String format = "  %-" + stream + "s  %-" + name + "s  %-7s  %s%n";
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, format, "stream", "check", "result",
                "evidence [setting to fix]"));
        for (Check c : checks) {
            table.append(String.format(Locale.ROOT, format, c.stream(), c.name(), c.outcome().label(),
                    c.evidence() + (c.setting().isEmpty() ? "" : " [" + c.setting() + "]")));
        }
        Map<String, Outcome> streams = byStream();
        long failed = streams.values().stream().filter(o -> o == Outcome.FAILED).count();
        long warned = streams.values().stream().filter(o -> o == Outcome.WARNING).count();
        return String.format(Locale.ROOT, "check finished: %d stream(s), %d ok, %d with warnings, %d failed; %d "
                + "request(s)%n", streams.size(), streams.size() - failed - warned, warned, failed, requests) + table;
    }

    /** The report as {@code --check --json} prints it. */
    public ObjectNode json() {
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("outcome", outcome().label());
        report.put("requests", requests);
        ArrayNode rows = report.putArray("checks");
        for (Check c : checks) {
            rows.addObject().put("stream", c.stream()).put("check", c.name()).put("result", c.outcome().label())
                    .put("evidence", c.evidence()).put("setting", c.setting());
        }
        return report;
    }
}

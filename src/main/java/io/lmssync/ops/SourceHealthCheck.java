package io.lmssync.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check per enabled source ({@code source-<source>} in /observe/health) that shows how its streams fare without
 * deciding whether lms-sync is ready or alive: a source failing is a reason to alert (lms_sync_last_run_failed), not
 * to take the service out of a load balancer or stall a rolling deploy until the vendor's next good run. It is always
 * UP; its message says what is wrong (a stream's last run failed, with why: "rejected the credentials (HTTP 401):
 * check ..." when the source refused them; a stream paused longer than {@code sync.health.max-pause}; deletions held
 * for an operator), and its details ({@code ?data=true}) give {@code state} (ok, failing) and each stream's last run
 * status and held deletions. The message carries no secret and no e-mail address: whoever reaches the port reads it.
 */
final class SourceHealthCheck extends AbstractHealthCheck {

    private final List<StreamView> streams;
    private final Duration maxPause;
    private final Clock clock;

    SourceHealthCheck(String source, List<StreamView> streams, Duration maxPause, Clock clock) {
        super("lms-sync", "source-" + source);
        this.streams = List.copyOf(streams);
        this.maxPause = maxPause;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false; // restarting lms-sync would not mend a source
    }

    @Override
    public boolean isReadiness() {
        return false; // readiness is the service's own (database, routes): see the class comment
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (StreamView stream : streams) {
            long held = stream.getHeldDeletions();
            builder.detail(stream.getStream() + ".held_deletions", held);
            if (stream.getLastRunStatus() != null) {
                builder.detail(stream.getStream() + ".last_run_status", stream.getLastRunStatus());
            }
            if (held > 0) {
                notes.add(stream.getStream() + " holds " + held + " deletion(s) for an operator");
            }
            if ("failed".equals(stream.getLastRunStatus())) {
                problems.add(stream.getStream() + " failed: " + stream.getLastRunError());
            } else if (stream.getLastCheck().contains(" failed: ") && stream.getLastRunStatus().isEmpty()) {
                // a stream that never ran and whose first-contact check failed: its first sync will not start
                problems.add(stream.getStream() + " has not synced and its first-contact check failed ("
                        + stream.getLastCheck() + ")");
            }
            Optional<Instant> paused = stream.pausedSince();
            if (paused.isPresent() && Duration.between(paused.get(), clock.instant()).compareTo(maxPause) > 0) {
                problems.add(stream.getStream() + " paused since " + paused.get() + " (longer than " + maxPause + ")");
            }
        }
        problems.addAll(notes);
        if (!problems.isEmpty()) {
            // a run's error may quote a vendor's answer, which can name learners
            builder.message(Redaction.redact(String.join("; ", problems)));
        }
        builder.detail("state", problems.size() == notes.size() ? "ok" : "failing");
        builder.up();
    }
}

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
 * A readiness check per enabled vendor ({@code vendor-<vendor>} in /observe/health), whose details and message also
 * name the deletions each stream holds for an operator: down when a stream's last run failed (the message says why: "rejected the credentials (HTTP 401): check ..." when the vendor refused them) or a
 * stream has been paused longer than {@code sync.health.max-pause}. The message carries no secret and no e-mail
 * address: whoever reaches the port reads it.
 */
final class VendorHealthCheck extends AbstractHealthCheck {

    private final List<StreamView> streams;
    private final Duration maxPause;
    private final Clock clock;

    VendorHealthCheck(String vendor, List<StreamView> streams, Duration maxPause, Clock clock) {
        super("lms-sync", "vendor-" + vendor);
        this.streams = List.copyOf(streams);
        this.maxPause = maxPause;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false; // a vendor in trouble makes lms-sync not ready; restarting it would not help
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (StreamView stream : streams) {
            long held = stream.getHeldDeletions();
            builder.detail(stream.getStream() + ".held_deletions", held);
            if (held > 0) {
                notes.add(stream.getStream() + " holds " + held + " deletion(s) for an operator");
            }
            if ("failed".equals(stream.getLastRunStatus())) {
                problems.add(stream.getStream() + " failed: " + stream.getLastRunError());
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
        if (problems.size() == notes.size()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}

package io.lmssync.source.continu;

import java.util.Locale;

/** Continu's status words to canonical statuses (working contract: not_started, in_progress, completed, passed, failed, overdue). */
final class ContinuStatus {

    private ContinuStatus() {
    }

    static String canonical(String status) {
        if (status == null) {
            return "unknown";
        }
        return switch (status.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_')) {
            case "not_started" -> "not_started";
            case "in_progress", "started" -> "in_progress";
            case "completed", "complete" -> "completed";
            case "passed" -> "passed";
            case "failed" -> "failed";
            // past its due date and not done: the learner did not complete it in time
            case "overdue" -> "not_completed";
            default -> "unknown";
        };
    }
}

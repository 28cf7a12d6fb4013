package io.lmssync.sync;

import java.util.Locale;

/**
 * The one line a run ends with: the counts every run has, then only the ones that say something for this run (older
 * versions, raw-only objects, a sink's pushes), so a plain sync's line stays short.
 */
final class RunSummary {

    private RunSummary() {
    }

    static String of(SyncRun run) {
        String line = String.format(Locale.ROOT,
                "%s%s %s: fetched=%d inserted=%d updated=%d unchanged=%d deleted=%d held=%d dead_lettered=%d "
                        + "requests=%d archived=%d",
                run.stream(), run.mode() == SyncRun.Mode.SYNC ? "" : " (" + run.mode().label() + ")",
                run.status().name().toLowerCase(Locale.ROOT), run.fetched(), run.inserted(), run.updated(),
                run.unchanged(), run.deleted(), run.held(), run.deadLettered(), run.requests(), run.archived());
        if (run.older() > 0) {
            line += " older=" + run.older();
        }
        if (run.rawOnly() > 0) {
            line += " raw_only=" + run.rawOnly();
        }
        if (run.leftAlone() > 0) {
            line += " left_alone=" + run.leftAlone();
        }
        if (run.skipped() > 0) {
            line += " skipped=" + run.skipped();
        }
        if (run.duplicates() > 0) {
            line += " duplicates=" + run.duplicates();
        }
        if (!run.caughtUp().isEmpty()) {
            line += " caught_up=" + run.caughtUpText();
        }
        line += String.format(Locale.ROOT, " duration=%.1fs", run.duration().toMillis() / 1000.0) + sinks(run);
        String error = run.error();
        return error == null ? line : line + " error=\"" + error + "\"";
    }

    /** What the Thrive and xapi sinks did, when they did anything. */
    private static String sinks(SyncRun run) {
        String line = "";
        if (run.pushed() + run.pushPending() + run.pushRefused() + run.pushStale() > 0) {
            line += String.format(Locale.ROOT, " thrive_pushed=%d thrive_pending=%d thrive_refused=%d", run.pushed(),
                    run.pushPending(), run.pushRefused());
        }
        if (run.pushStale() > 0) {
            line += " thrive_stale=" + run.pushStale();
        }
        if (run.statementsSent() + run.statementsVoided() > 0) {
            line += " xapi_sent=" + run.statementsSent() + " xapi_voided=" + run.statementsVoided();
        }
        return line;
    }
}

package io.lmssync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table a {@code --once} run ends with: one row per stream run with its outcome and counts, then where the records
 * went. Its rows say what the one-line summaries say ({@link SyncRun#summary()}), in columns.
 */
public final class RunTable {

    private static final String[] HEADER = {"stream", "outcome", "fetched", "inserted", "updated", "unchanged",
            "deleted", "held", "dead_lettered", "requests", "archived", "duration"};

    private RunTable() {
    }

    /**
     * @param runs         the runs that ended, in the order they ran
     * @param destinations where records went, each already fit to show (no secrets): {@code database jdbc:h2:...}
     */
    public static String of(List<SyncRun> runs, List<String> destinations) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (SyncRun run : runs) {
            rows.add(new String[] {
                run.stream() + (run.mode() == SyncRun.Mode.SYNC ? "" : " (" + run.mode().label() + ")"),
                run.status().name().toLowerCase(Locale.ROOT), n(run.fetched()), n(run.inserted()), n(run.updated()),
                n(run.unchanged()), n(run.deleted()), n(run.held()), n(run.deadLettered()), n(run.requests()),
                n(run.archived()),
                String.format(Locale.ROOT, "%.1fs", run.duration().toMillis() / 1000.0)});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // names left, counts right
                String cell = i < 2 ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true);
                line.append("  ").append(cell);
            }
            String notes = r == 0 ? "" : notes(runs.get(r - 1));
            table.append(line.toString().stripTrailing()).append(notes.isEmpty() ? "" : "  " + notes).append('\n');
        }
        if (!destinations.isEmpty()) {
            table.append("  records went to: ").append(String.join("; ", destinations)).append('\n');
        }
        return table.toString();
    }

    /**
     * What a row's columns do not hold: older versions, a raw-only stream's objects, a reconciliation's reach, copies
     * of records an answer held more than once, partitions the source refused, Thrive, and why a run failed. With
     * them a row adds up: fetched = inserted + updated + unchanged + dead_lettered + older + raw_only + duplicates.
     */
    private static String notes(SyncRun run) {
        List<String> notes = new ArrayList<>();
        if (run.older() > 0) {
            notes.add("older=" + run.older());
        }
        if (run.rawOnly() > 0) {
            notes.add("raw_only=" + run.rawOnly());
        }
        if (run.leftAlone() > 0) {
            notes.add("left_alone=" + run.leftAlone());
        }
        if (run.duplicates() > 0) {
            notes.add("duplicates=" + run.duplicates());
        }
        if (run.skipped() > 0) {
            notes.add("skipped=" + run.skipped());
        }
        if (!run.caughtUp().isEmpty()) {
            notes.add("caught_up=" + run.caughtUpText());
        }
        if (run.pushed() + run.pushPending() + run.pushRefused() + run.pushStale() > 0) {
            notes.add("thrive_pushed=" + run.pushed() + " thrive_pending=" + run.pushPending() + " thrive_refused="
                    + run.pushRefused() + (run.pushStale() > 0 ? " thrive_stale=" + run.pushStale() : ""));
        }
        if (run.statementsSent() + run.statementsVoided() > 0) {
            notes.add("xapi_sent=" + run.statementsSent() + " xapi_voided=" + run.statementsVoided());
        }
        if (run.error() != null) {
            notes.add("error=\"" + run.error() + "\"");
        }
        return String.join(" ", notes);
    }

    private static String n(long count) {
        return Long.toString(count);
    }

    private static String pad(String cell, int width, boolean right) {
        String fill = " ".repeat(width - cell.length());
        return right ? fill + cell : cell + fill;
    }
}

package io.lmssync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table a --once run ends with: a header, a row per run in aligned columns, notes, and where records went. */
class RunTableTest {

    private static final Instant START = Instant.parse("2026-11-23T06:00:00Z");

    @Test
    void aRowHoldsEachCountInItsColumnAndAFailedRunSaysWhy() {
        SyncRun ok = new SyncRun(1, "moocit", "moocit", "moocit-course-completions", null, START, SyncRun.Mode.SYNC,
                false);
        ok.fetched.set(10);
        ok.inserted.set(8);
        ok.deadLettered.set(2);
        ok.countRequest();
        ok.archived.set(8);
        ok.end(SyncRun.Status.SUCCEEDED, null, START.plusMillis(1500));
        SyncRun failed = new SyncRun(2, "absorb", "absorb-course-enrollments", null, START);
        failed.older.set(3);
        failed.end(SyncRun.Status.FAILED, "HTTP 401 from absorb: check absorb.api-key", START.plusSeconds(2));

        List<String> lines = RunTable.of(List.of(ok, failed), List.of("database jdbc:h2:file:./x;...", "files /out"))
                .lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("  stream +outcome +fetched +inserted +updated +unchanged +deleted +held "
                + "+dead_lettered +requests +archived +duration");
        assertThat(lines.get(1)).matches("  moocit-course-completions +succeeded +10 +8 +0 +0 +0 +0 +2 +1 +8 +1\\.5s");
        assertThat(lines.get(2)).matches("  absorb-course-enrollments +failed +0 +0 +0 +0 +0 +0 +0 +0 +0 +2\\.0s  older=3 "
                + "error=\"HTTP 401 from absorb: check absorb.api-key\"");
        assertThat(lines.get(3)).isEqualTo("  records went to: database jdbc:h2:file:./x;...; files /out");
        // columns line up: every count ends where its header does
        assertThat(lines.get(1).indexOf("succeeded")).isEqualTo(lines.get(0).indexOf("outcome"));
        assertThat(lines.get(1).indexOf("10") + 2).isEqualTo(lines.get(0).indexOf("fetched") + "fetched".length());
    }
}

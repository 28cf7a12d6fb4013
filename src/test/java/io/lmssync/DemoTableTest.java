package io.lmssync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmssync.demo.DemoSources;
import io.lmssync.sync.RunTable;
import io.lmssync.sync.SyncRuns;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity README states for the table a --once run ends with holds on every row of the demo's own table, in its
 * first run (everything new, the raw-only group archived) and its second (everything unchanged, children left alone):
 * fetched = inserted + updated + unchanged + dead_lettered + older + raw_only + duplicates.
 */
class DemoTableTest {

    private static final Pattern ROW = Pattern.compile("^\\s+(\\S+)\\s+(succeeded|failed|abandoned)((?:\\s+\\d+){9})"
            + "\\s+\\S+s(.*)$");
    private static final Pattern NOTE = Pattern.compile("(\\w+)=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void everyRowOfTheDemosTableAddsUpInItsFirstRunAndItsSecond() throws Exception {
        try (DemoSources sources = DemoSources.start()) {
            TestService service = TestService.readingMoocit(dir, "http://127.0.0.1:9");
            sources.settings().forEach(service::with);
            try (LmsSync running = service.service(true).start()) {
                SyncRuns runs = running.context().getRegistry().lookupByNameAndType("syncRuns", SyncRuns.class);
                for (int pass = 1; pass <= 2; pass++) {
                    long before = runs.endedCount();
                    assertThat(running.runOnce()).as("pass %d", pass).isZero();
                    String table = RunTable.of(runs.endedSince(before), List.of());
                    List<String> rows = table.lines().skip(1).toList();
                    assertThat(rows).as(table).hasSizeGreaterThan(10).allSatisfy(row -> assertAddsUp(row, table));
                    if (pass == 2) {
                        assertThat(table).contains("left_alone=");
                    } else {
                        assertThat(table).contains("raw_only=");
                    }
                }
            }
        }
    }

    private static void assertAddsUp(String row, String table) {
        Matcher matcher = ROW.matcher(row);
        assertThat(matcher.matches()).as("a row of the table:\n" + table).isTrue();
        long[] c = Arrays.stream(matcher.group(3).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
        // fetched inserted updated unchanged deleted held dead_lettered requests archived
        Map<String, Long> notes = new HashMap<>();
        Matcher note = NOTE.matcher(matcher.group(4));
        while (note.find()) {
            notes.put(note.group(1), Long.parseLong(note.group(2)));
        }
        long accounted = c[1] + c[2] + c[3] + c[6] + notes.getOrDefault("older", 0L)
                + notes.getOrDefault("raw_only", 0L) + notes.getOrDefault("duplicates", 0L);
        assertThat(accounted).as("%s: fetched = inserted + updated + unchanged + dead_lettered + older + raw_only"
                + " + duplicates", row).isEqualTo(c[0]);
    }
}

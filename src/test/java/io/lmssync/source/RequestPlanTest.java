package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmssync.source.Paging.Pages;
import io.lmssync.sync.SyncWindows.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixed parts of a request plan, each on its own: window placement, partitions, paging and its guards. */
class RequestPlanTest {

    private static final Window WINDOW = new Window(1, 1, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-31T00:00:00Z"));
    private static final StaticTokenAuth AUTH = new StaticTokenAuth("Bearer ", "t");

    private static String uri(RequestPlan plan, List<String> batch, Pages pages) {
        return plan.request(batch, WINDOW, pages).toString();
    }

    @Test
    void aWindowReachesTheRequestAsUnixSecondsParametersPathSegmentsOrAnODataFilter() {
        assertThat(uri(RequestPlan.of("a", "GET", "https://h/v1/", "/completion/tracks", AUTH)
                .window(WindowPlacement.unixSecondsParams("from", "until")).build(), List.of(), null))
                .isEqualTo("GET https://h/v1/completion/tracks?from=1767225600&until=1769817600");
        assertThat(uri(RequestPlan.of("a", "POST", "https://h", "/reports/x/{from}/{until}", AUTH)
                .window(WindowPlacement.unixSecondsSegments()).build(), List.of(), null))
                .isEqualTo("POST https://h/reports/x/1767225600/1769817600");
        assertThat(uri(RequestPlan.of("a", "GET", "https://h", "/e", AUTH)
                .window(WindowPlacement.odataFilter("_filter", "dateEdited", "_sort", "dateEdited,id")).build(),
                List.of(), null))
                .isEqualTo("GET https://h/e?_filter=dateEdited%20ge%20datetime%272026-01-01T00%3A00%3A00Z%27%20and"
                        + "%20dateEdited%20lt%20datetime%272026-01-31T00%3A00%3A00Z%27&_sort=dateEdited%2Cid");
    }

    @Test
    void aBatchOfPartitionsReachesTheRequestAsAListParameterOrAnEncodedPathSegment() {
        RequestPlan list = RequestPlan.of("a", "GET", "https://h", "/c", AUTH).query("kind", "all")
                .partitions(Partitioning.queryList(e -> List.of(), r -> null, "for_users", 2)).build();
        assertThat(uri(list, List.of("a@x.com", "b+c@x.com"), null))
                .isEqualTo("GET https://h/c?kind=all&for_users=a%40x.com%2Cb%2Bc%40x.com");
        RequestPlan path = RequestPlan.of("a", "GET", "https://h", "/courses/{partition}/enrollments", AUTH)
                .partitions(Partitioning.pathSegment(e -> List.of(), r -> null)).build();
        assertThat(uri(path, List.of("c 1/x"), null)).isEqualTo("GET https://h/courses/c%201%2Fx/enrollments");
    }

    @Test
    void pageIndexCountsPagesAndRecordOffsetCountsRecordsAndAShortPageEndsTheScan() {
        List<String> seen = new ArrayList<>();
        for (Paging paging : List.of(Paging.pageIndex("_limit", "_offset", 2, 100),
                Paging.recordOffset("limit", "offset", 2, 100))) {
            RequestPlan plan = RequestPlan.of("a", "GET", "https://h", "/e", AUTH).paging(paging).build();
            Pages scan = paging.start("/e");
            int page = 0;
            while (scan.more()) {
                seen.add(uri(plan, List.of(), scan));
                Answer answer = page < 2 ? new Answer(2, null, List.of("p" + page + "a", "p" + page + "b"))
                        : new Answer(1, null, List.of("last"));
                scan.read(answer);
                page++;
            }
        }
        assertThat(seen).containsExactly("GET https://h/e?_limit=2&_offset=0", "GET https://h/e?_limit=2&_offset=1",
                "GET https://h/e?_limit=2&_offset=2", "GET https://h/e?limit=2&offset=0",
                "GET https://h/e?limit=2&offset=2", "GET https://h/e?limit=2&offset=4");
    }

    @Test
    void theGuardsStopAScanThatWouldLoopOrGoBeyondTheLargestOffsetNamingWhatItRead() {
        Paging paging = Paging.pageIndex("_limit", "_offset", 2, 1);
        Pages repeated = paging.start("/courses/c1/enrollments");
        Answer page = new Answer(2, null, List.of("a", "b"));
        repeated.read(page);
        assertThatThrownBy(() -> repeated.read(page)).hasMessage(
                "/courses/c1/enrollments: page 1 repeats page 0 (the same 2 ids); stopping rather than loop");

        Pages far = paging.start("/e");
        RequestPlan plan = RequestPlan.of("a", "GET", "https://h", "/e", AUTH).paging(paging).build();
        for (String id : List.of("x", "y")) {
            far.read(new Answer(2, null, List.of(id + 1, id + 2)));
        }
        assertThatThrownBy(() -> uri(plan, List.of(), far)).hasMessageStartingWith(
                "/e: _offset 2 is beyond the largest the source takes (1)");
    }

    @Test
    void aTotalThatChangesMidScanStartsTheScanOverOnceAndDiscardsThePage() {
        Paging paging = Paging.pageIndex("_limit", "_offset", 2, 100);
        RequestPlan plan = RequestPlan.of("a", "GET", "https://h", "/e", AUTH).paging(paging).build();
        Pages scan = paging.start("/e");
        scan.read(new Answer(2, 5L, List.of("a", "b")));
        assertThat(scan.read(new Answer(2, 6L, List.of("c", "d"))))
                .as("the page read under the old total is not delivered").isFalse();
        assertThat(uri(plan, List.of(), scan)).as("from the first page again").endsWith("_offset=0");
        assertThat(scan.read(new Answer(2, 6L, List.of("a", "b")))).isTrue();
        assertThatThrownBy(() -> scan.read(new Answer(2, 7L, List.of("c", "d"))))
                .hasMessageStartingWith("/e: the total changed again mid-scan (6 to 7) after a rescan");
    }

    @Test
    void aScanEndsByTheTotalNotOnAShortPageAndFollowsASourceThatServesFewerThanAsked() {
        Paging paging = Paging.pageIndex("_limit", "_offset", 500, 65535);
        RequestPlan plan = RequestPlan.of("a", "GET", "https://h", "/e", AUTH).paging(paging).build();
        Pages scan = paging.start("/e");
        List<String> asked = new ArrayList<>();
        long read = 0;
        while (scan.more()) {
            asked.add(uri(plan, List.of(), scan).replace("GET https://h/e?", ""));
            // a tenant that serves at most 100 a page, whatever _limit asks, of 250 records
            long served = Math.min(100, 250 - read);
            List<String> ids = new ArrayList<>();
            for (long i = read; i < read + served; i++) {
                ids.add("r" + i);
            }
            assertThat(scan.read(new Answer(served, 250L, ids))).isTrue();
            read += served;
        }
        assertThat(read).as("every record, none cut off by the first short page").isEqualTo(250);
        assertThat(asked).containsExactly("_limit=500&_offset=0", "_limit=100&_offset=1", "_limit=100&_offset=2");

        Pages records = Paging.recordOffset("limit", "offset", 500, 100_000).start("/r");
        RequestPlan byRecord = RequestPlan.of("a", "GET", "https://h", "/r", AUTH)
                .paging(Paging.recordOffset("limit", "offset", 500, 100_000)).build();
        records.read(new Answer(120, 300L, List.of("a")));
        assertThat(uri(byRecord, List.of(), records)).endsWith("limit=120&offset=120");
    }

    @Test
    void anEmptyPageEndsTheScanWhateverTheTotalSaysAndPagesOfVaryingSizesStopItRatherThanLeaveRecordsOut() {
        Paging paging = Paging.pageIndex("_limit", "_offset", 100, 65535);
        Pages empty = paging.start("/e");
        empty.read(new Answer(100, 300L, List.of("a")));
        assertThat(empty.more()).isTrue();
        empty.read(new Answer(0, 300L, List.of()));
        assertThat(empty.more()).as("the source has nothing past what was read").isFalse();
        Pages varying = paging.start("/e");
        varying.read(new Answer(100, 300L, List.of("a")));
        assertThatThrownBy(() -> varying.read(new Answer(30, 300L, List.of("b"))))
                .hasMessageContaining("cannot be followed by a page index");
    }

    @Test
    void aBatchRefusedAsAWholeIsReadAgainInHalvesDownToTheRefusedPartitionsAndOnlyThoseAreLeftOut() {
        WhenRefused split = WhenRefused.splitBatch(java.util.Set.of(400, 404), key -> "line of " + key);
        Answer notFound = Answer.refused(404, "user not found", java.util.Map.of());
        assertThat(split.react(notFound, List.of("a", "b"))).isInstanceOf(WhenRefused.Split.class);
        assertThat(split.react(notFound, List.of("a"))).isEqualTo(new WhenRefused.Skip("line of a"));
        assertThat(split.react(Answer.refused(500, "down", java.util.Map.of()), List.of("a")))
                .isInstanceOf(WhenRefused.Fail.class);
    }
}

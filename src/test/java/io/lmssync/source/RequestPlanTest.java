package io.lmssync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lmssync.source.RequestPlan.Partitioning;
import io.lmssync.source.RequestPlan.Scan;
import io.lmssync.source.RequestPlan.WindowPlacement;
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

    private static String uri(RequestPlan plan, List<String> batch, Scan scan) {
        return plan.request(batch, WINDOW, scan).toString();
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
            Scan scan = paging.start(List.of(), "/e");
            int page = 0;
            while (scan.more) {
                seen.add(uri(plan, List.of(), scan));
                Answer answer = page < 2 ? new Answer(2, null, List.of("p" + page + "a", "p" + page + "b"))
                        : new Answer(1, null, List.of("last"));
                paging.check(scan, answer);
                paging.advance(scan, answer);
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
        Scan repeated = paging.start(List.of(), "/courses/c1/enrollments");
        Answer page = new Answer(2, null, List.of("a", "b"));
        paging.check(repeated, page);
        paging.advance(repeated, page);
        assertThatThrownBy(() -> paging.check(repeated, page)).hasMessage(
                "/courses/c1/enrollments: page 1 repeats page 0 (the same 2 ids); stopping rather than loop");

        Scan far = paging.start(List.of(), "/e");
        RequestPlan plan = RequestPlan.of("a", "GET", "https://h", "/e", AUTH).paging(paging).build();
        for (String id : List.of("x", "y")) {
            Answer answer = new Answer(2, null, List.of(id + 1, id + 2));
            paging.check(far, answer);
            paging.advance(far, answer);
        }
        assertThatThrownBy(() -> uri(plan, List.of(), far)).hasMessageStartingWith(
                "/e: _offset 2 is beyond the largest the source takes (1)");
    }

    @Test
    void aTotalThatChangesMidScanStartsTheScanOverOnceAndDiscardsThePage() {
        Paging paging = Paging.pageIndex("_limit", "_offset", 2, 100);
        Scan scan = paging.start(List.of(), "/e");
        Answer first = new Answer(2, 5L, List.of("a", "b"));
        paging.check(scan, first);
        paging.advance(scan, first);
        Answer drifted = new Answer(2, 6L, List.of("c", "d"));
        paging.check(scan, drifted);
        assertThat(scan.deliver).as("the page read under the old total is not delivered").isFalse();
        paging.advance(scan, drifted);
        assertThat(scan.page).as("from the first page again").isZero();
        paging.check(scan, new Answer(2, 6L, List.of("a", "b")));
        assertThat(scan.deliver).isTrue();
        assertThatThrownBy(() -> paging.check(scan, new Answer(2, 7L, List.of("c", "d"))))
                .hasMessageStartingWith("/e: the total changed again mid-scan (6 to 7) after a rescan");
    }
}

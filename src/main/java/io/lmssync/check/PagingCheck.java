package io.lmssync.check;

import io.lmssync.source.Answer;
import io.lmssync.source.OffsetPaging;
import io.lmssync.source.Paging.Pages;
import io.lmssync.source.RequestPlan;
import io.lmssync.source.Uri;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncWindows.Window;
import java.util.List;

/**
 * What an offset-paged stream's first page proves about its paging: the page size served against the one asked for,
 * and what the offset means (pages or records), by one more request of two records.
 */
final class PagingCheck {

    private final String stream;
    private final RequestPlan plan;
    private final OffsetPaging paging;
    private final SyncRun run;
    private final SourceCalls calls;
    private final List<Check> checks;

    PagingCheck(String stream, RequestPlan plan, OffsetPaging paging, SyncRun run, SourceCalls calls,
            List<Check> checks) {
        this.stream = stream;
        this.plan = plan;
        this.paging = paging;
        this.run = run;
        this.calls = calls;
        this.checks = checks;
    }

    /** The page size, then the offset's meaning, proven from the first page of the batch and window. */
    void check(Answer answer, List<String> batch, Window window) throws Exception {
        pageSize(answer);
        offset(answer.ids(), batch, window);
    }

    /** A source serving fewer than asked is followed at its own page size, which the evidence says. */
    private void pageSize(Answer answer) {
        long served = answer.records();
        Long total = answer.totalItems();
        if (total != null && served < total && served < paging.size()) {
            checks.add(Check.warning(stream, "page size", "asked for " + paging.size() + " a page, served " + served
                    + " of " + total + ": a sync follows at " + served + " a page", ""));
        } else {
            checks.add(Check.ok(stream, "page size", "asked for " + paging.size() + " a page, served " + served
                    + (total == null ? "" : " of " + total)));
        }
    }

    /**
     * What the offset means: the page of two records at offset 1 starts with the third record of the first page when
     * the offset counts pages, with the second when it counts records.
     */
    private void offset(List<String> ids, List<String> batch, Window window) throws Exception {
        String setting = String.join(", ", plan.settings());
        if (ids == null || ids.size() < 3 || ids.contains("null")) {
            checks.add(Check.warning(stream, "paging", "fewer than three records on the first page: what "
                    + paging.describe() + " means is not proven", setting));
            return;
        }
        Answer second = calls.call(run, plan.request(batch, window, new TwoAtOffsetOne(paging)));
        String first = second.ids() == null || second.ids().isEmpty() ? null : second.ids().get(0);
        String expected = ids.get(paging.countsRecords() ? 1 : 2);
        String other = ids.get(paging.countsRecords() ? 2 : 1);
        if (expected.equals(first)) {
            checks.add(Check.ok(stream, "paging", "two records at offset 1 start with record " + (paging.countsRecords()
                    ? 2 : 3) + " of the first page: the offset is " + paging.describe()));
        } else if (other.equals(first)) {
            checks.add(Check.failed(stream, "paging", "two records at offset 1 start with record " + (paging
                    .countsRecords() ? 3 : 2) + " of the first page: the offset is not " + paging.describe()
                    + "; a sync would skip or repeat records", setting));
        } else {
            checks.add(Check.warning(stream, "paging", "two records at offset 1 (HTTP " + second.status()
                    + ") are not among the first page's: what " + paging.describe() + " means is not proven", setting));
        }
    }

    /** The probe's one page: two records at offset 1, whatever the offset counts. */
    private record TwoAtOffsetOne(OffsetPaging paging) implements Pages {
        @Override
        public void place(Uri uri) {
            paging.place(uri, 2, 1);
        }

        @Override
        public boolean read(Answer a) {
            return true;
        }

        @Override
        public boolean more() {
            return false;
        }
    }
}

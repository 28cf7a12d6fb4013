package io.lmssync.source;

import io.lmssync.source.RequestPlan.Scan;
import io.lmssync.source.RequestPlan.Uri;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an answer is paged (the paginator): not at all, or by a page size and an offset that counts pages (Absorb's
 * {@code _offset} is a 0-based page index) or records. A short or empty page ends a scan. Guards stop the stream with
 * a named error rather than loop or skip: a page that repeats the previous page's ids, more pages than
 * {@code ceil(total / size) + 1}, an offset beyond the largest the source takes, and the total changing mid-scan
 * (the scan then starts over once).
 */
public interface Paging {

    /** A scan of a batch (what names it in errors). */
    default Scan start(List<String> batch, String what) {
        return new Scan(batch, what);
    }

    void place(Uri uri, Scan scan);

    /** The guards, on the page just read; marks it to deliver or not (a rescan discards it). */
    void check(Scan scan, Answer answer);

    /** After the page: the next one, or the end. */
    void advance(Scan scan, Answer answer);

    /** One request, one answer. */
    static Paging none() {
        return new Paging() {
            @Override
            public void place(Uri uri, Scan scan) {
            }

            @Override
            public void check(Scan scan, Answer answer) {
                scan.deliver = true;
            }

            @Override
            public void advance(Scan scan, Answer answer) {
                scan.more = false;
            }
        };
    }

    /** Pages of {@code size} records, the offset a 0-based page index: {@code _limit=500&_offset=3}. */
    static Paging pageIndex(String limitParam, String offsetParam, int size, int maxOffset) {
        return new Offsets(limitParam, offsetParam, size, maxOffset, false);
    }

    /** Pages of {@code size} records, the offset a count of records: {@code limit=500&offset=1500}. */
    static Paging recordOffset(String limitParam, String offsetParam, int size, int maxOffset) {
        return new Offsets(limitParam, offsetParam, size, maxOffset, true);
    }

    /** Paging's guard stopped a scan that would loop or skip records. */
    final class PagingException extends RuntimeException {
        public PagingException(String message) {
            super(message);
        }
    }

    /** Page-index or record-offset paging with the guards. */
    final class Offsets implements Paging {

        private static final Logger LOG = LoggerFactory.getLogger(Paging.class);

        private final String limitParam;
        private final String offsetParam;
        private final int size;
        private final int maxOffset;
        private final boolean records;

        Offsets(String limitParam, String offsetParam, int size, int maxOffset, boolean records) {
            this.limitParam = limitParam;
            this.offsetParam = offsetParam;
            this.size = size;
            this.maxOffset = maxOffset;
            this.records = records;
        }

        @Override
        public void place(Uri uri, Scan scan) {
            long offset = records ? (long) scan.page * size : scan.page;
            if (offset > maxOffset) {
                throw new PagingException(scan.what + ": " + offsetParam + " " + offset + " is beyond the largest the"
                        + " source takes (" + maxOffset + "); raise the page size or narrow the window");
            }
            uri.param(limitParam, String.valueOf(size));
            uri.param(offsetParam, String.valueOf(offset));
        }

        @Override
        public void check(Scan scan, Answer answer) {
            scan.pagesRead++;
            if (answer.totalItems() != null) {
                if (scan.total != null && !scan.total.equals(answer.totalItems())) {
                    if (scan.rescanned) {
                        throw new PagingException(scan.what + ": the total changed again mid-scan (" + scan.total
                                + " to " + answer.totalItems() + ") after a rescan; stopping rather than skip records");
                    }
                    LOG.warn("{}: the total changed mid-scan ({} to {}): scanning again from the first page",
                            scan.what, scan.total, answer.totalItems());
                    scan.rescanned = true;
                    scan.total = answer.totalItems();
                    scan.page = 0;
                    scan.pagesRead = 0;
                    scan.previousIds = null;
                    scan.deliver = false;
                    return;
                }
                scan.total = answer.totalItems();
                long most = (scan.total + size - 1) / size + 1;
                if (scan.pagesRead > most) {
                    throw new PagingException(scan.what + ": read " + scan.pagesRead + " pages where a total of "
                            + scan.total + " allows at most " + most + "; stopping rather than loop");
                }
            }
            if (answer.ids() != null && !answer.ids().isEmpty() && answer.ids().equals(scan.previousIds)) {
                throw new PagingException(scan.what + ": page " + scan.page + " repeats page " + (scan.page - 1)
                        + " (the same " + answer.ids().size() + " ids); stopping rather than loop");
            }
            scan.deliver = true;
        }

        @Override
        public void advance(Scan scan, Answer answer) {
            if (!scan.deliver) {
                return; // discarded: the rescan starts from the first page
            }
            if (answer.records() < size) {
                scan.more = false;
            } else {
                scan.previousIds = answer.ids();
                scan.page++;
            }
        }
    }
}

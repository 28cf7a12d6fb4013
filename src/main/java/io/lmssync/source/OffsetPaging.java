package io.lmssync.source;

import io.lmssync.source.Paging.PagingException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paging by a page size and an offset that counts pages (a 0-based page index) or records. A scan ends by the counts:
 * once it has read the collection's total ({@code totalItems}, when the answer has one), else on a short page. A
 * source that serves fewer records a page than asked while its total says more remain is followed at the size it
 * serves (said once in the log): nothing is skipped; an empty page ends it whatever the total says (with a warning).
 * Guards stop the stream with a named error rather than loop or skip: a page that repeats the previous page's ids,
 * more pages than {@code ceil(total / size) + 1}, pages of sizes a page index cannot follow, an offset beyond the
 * largest the source takes, and the total changing mid-scan twice (once, the scan starts over).
 */
public final class OffsetPaging implements Paging {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetPaging.class);

    private final String limitParam;
    private final String offsetParam;
    private final int size;
    private final int maxOffset;
    private final boolean records;

    OffsetPaging(String limitParam, String offsetParam, int size, int maxOffset, boolean records) {
        this.limitParam = limitParam;
        this.offsetParam = offsetParam;
        this.size = size;
        this.maxOffset = maxOffset;
        this.records = records;
    }

    @Override
    public OffsetPages start(String what) {
        return new OffsetPages(what);
    }

    /** The page size asked for. */
    public int size() {
        return size;
    }

    /** Whether the offset counts records (else pages). */
    public boolean countsRecords() {
        return records;
    }

    /** The parameters of the page at {@code offset} (a page index or a record count) of {@code limit} records. */
    public void place(Uri uri, int limit, long offset) {
        uri.param(limitParam, String.valueOf(limit));
        uri.param(offsetParam, String.valueOf(offset));
    }

    /** What a check's evidence calls the parameters: {@code _limit/_offset (a page index)}. */
    public String describe() {
        return limitParam + "/" + offsetParam + (records ? " (a record offset)" : " (a page index)");
    }

    /** One scan's pages. */
    public final class OffsetPages implements Pages {
        private final String what;
        /** The page size asked for next: the configured one, or the one the source serves. */
        private int asked = size;
        /** Records read so far, in the pages delivered: where the next page starts. */
        private long read;
        /** Pages read (the one just read included); the page numbering of the guards' messages. */
        private int pagesRead;
        private int page;
        private Long total;
        private boolean rescanned;
        private List<String> previousIds;
        private boolean more = true;

        OffsetPages(String what) {
            this.what = what;
        }

        @Override
        public void place(Uri uri) {
            long offset = records ? read : read / asked;
            if (offset > maxOffset) {
                throw new PagingException(what + ": " + offsetParam + " " + offset + " is beyond the largest the"
                        + " source takes (" + maxOffset + "); raise the page size or narrow the window");
            }
            OffsetPaging.this.place(uri, asked, offset);
        }

        @Override
        public boolean read(Answer answer) {
            pagesRead++;
            if (answer.totalItems() != null) {
                if (total != null && !total.equals(answer.totalItems())) {
                    return startOver(answer.totalItems());
                }
                total = answer.totalItems();
            }
            if (answer.ids() != null && !answer.ids().isEmpty() && answer.ids().equals(previousIds)) {
                throw new PagingException(what + ": page " + page + " repeats page " + (page - 1) + " (the same "
                        + answer.ids().size() + " ids); stopping rather than loop");
            }
            long n = answer.records();
            if (total != null && read + n < total) {
                if (n == 0) {
                    // the source has nothing past what was read, whatever its total says (a total counting what the
                    // filter leaves out): the scan has every record there is
                    LOG.warn("{}: page {} is empty while the total ({}) says {} more remain: the scan ends with the {}"
                            + " records the source served", what, page, total, total - read, read);
                    more = false;
                    return true;
                }
                if (n != asked) {
                    follow((int) n);
                }
            }
            if (total != null) {
                long most = (total + asked - 1) / asked + 1;
                if (pagesRead > most) {
                    throw new PagingException(what + ": read " + pagesRead + " pages where a total of " + total
                            + " allows at most " + most + "; stopping rather than loop");
                }
            }
            read += n;
            more = total != null ? read < total : n >= asked;
            previousIds = answer.ids();
            page++;
            return true;
        }

        /** The source serves {@code served} a page, not what was asked: the next pages ask for that. */
        private void follow(int served) {
            if (!records && read % served != 0) {
                throw new PagingException(what + ": pages of " + asked + " and then " + served + " records cannot be"
                        + " followed by a page index (the next page would not start at record " + read + ")");
            }
            LOG.warn("{}: the source serves {} records a page where {}={} asked for {} (its total says more remain):"
                    + " the next pages ask for {}", what, served, limitParam, asked, asked, served);
            asked = served;
        }

        /** The total changed mid-scan: the page is not delivered and the scan starts from the first page, once. */
        private boolean startOver(long now) {
            if (rescanned) {
                throw new PagingException(what + ": the total changed again mid-scan (" + total + " to " + now
                        + ") after a rescan; stopping rather than skip records");
            }
            LOG.warn("{}: the total changed mid-scan ({} to {}): scanning again from the first page", what, total, now);
            rescanned = true;
            total = now;
            read = 0;
            page = 0;
            pagesRead = 0;
            previousIds = null;
            return false;
        }

        @Override
        public boolean more() {
            return more;
        }

        /** The page size the scan asks for now (the served one, once the source served fewer). */
        public int asked() {
            return asked;
        }
    }
}

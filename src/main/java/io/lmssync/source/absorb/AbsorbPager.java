package io.lmssync.source.absorb;

import io.lmssync.sync.SyncWindows;
import io.lmssync.sync.SyncWindows.Window;
import io.lmssync.source.Answer;
import io.lmssync.source.AnswerShape;
import io.lmssync.source.VendorRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Absorb's paging: {@code _limit} records a page and {@code _offset}, which is a 0-based <em>page index</em>, not a
 * record offset, over a total order ({@code _sort=dateEdited,id}). A short or empty page ends a scan. Guards stop the stream with a named error rather than loop or
 * skip: a page that repeats the previous page's ids, more pages than {@code ceil(totalItems/limit) + 1},
 * {@code _offset} beyond 65535, and {@code totalItems} changing mid-scan (the scan then starts over once).
 */
public final class AbsorbPager {

    /** The scan under way, on the exchange. */
    public static final String PROPERTY = "lmsPaging";
    static final int MAX_OFFSET = 65535;

    private static final Logger LOG = LoggerFactory.getLogger(AbsorbPager.class);

    /** One scan of a paged collection. */
    public static final class Scan {
        final String path;
        final String itemsField;
        final boolean incremental;
        int page;
        int pagesRead;
        Long total;
        boolean rescanned;
        List<String> previousIds;
        boolean more = true;
        boolean deliver;

        Scan(String path, String itemsField, boolean incremental) {
            this.path = path;
            this.itemsField = itemsField;
            this.incremental = incremental;
        }

        /** Whether the page just read is to be delivered (false when a drift discarded it). */
        public boolean isDeliver() {
            return deliver;
        }
    }

    private final String baseUrl;
    private final int pageSize;
    private final Processor auth;

    public AbsorbPager(String baseUrl, int pageSize, Processor auth) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.pageSize = pageSize;
        this.auth = auth;
    }

    /** A scan of every course Absorb lists. */
    public void startCourses(Exchange exchange) {
        exchange.setProperty(PROPERTY, new Scan("/courses", "courses", false));
    }

    /** A scan of the enrollments of the course in the body, edited within the current window. */
    public void startEnrollments(Exchange exchange) {
        String course = exchange.getMessage().getBody(String.class);
        exchange.setProperty(PROPERTY, new Scan("/courses/" + encode(course) + "/enrollments", "enrollments", true));
    }

    /** A scan of the enrollments of the lesson in the body ({@code courseId/lessonId}), edited within the window. */
    public void startLessonEnrollments(Exchange exchange) {
        String[] lesson = exchange.getMessage().getBody(String.class).split("/", 2);
        exchange.setProperty(PROPERTY, new Scan("/courses/" + encode(lesson[0]) + "/lessons/" + encode(lesson[1])
                + "/enrollments", "lessonEnrollments", true));
    }

    private static String encode(String pathPart) {
        return URLEncoder.encode(pathPart, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public boolean hasMore(Exchange exchange) {
        return scan(exchange).more;
    }

    /** The request for the scan's next page. */
    public void request(Exchange exchange) {
        Scan scan = scan(exchange);
        if (scan.page > MAX_OFFSET) {
            throw new AbsorbPagingException(scan.path + ": page " + scan.page + " is beyond Absorb's largest _offset ("
                    + MAX_OFFSET + "); raise absorb.page-size or narrow absorb.window");
        }
        StringBuilder uri = new StringBuilder(baseUrl).append(scan.path).append("?_limit=").append(pageSize)
                .append("&_offset=").append(scan.page);
        if (scan.incremental) {
            Window window = exchange.getProperty(SyncWindows.WINDOW, Window.class);
            String filter = "dateEdited ge datetime'" + window.start() + "' and dateEdited lt datetime'"
                    + window.end() + "'";
            uri.append("&_filter=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"))
                    // a total order: Absorb returns equal dateEdited values in no stable order, and page-index
                    // paging over an unstable order skips and repeats records
                    .append("&_sort=dateEdited,id");
        }
        exchange.setProperty(VendorRequest.PROPERTY, new VendorRequest("GET", URI.create(uri.toString()), null, auth,
                new AnswerShape(scan.itemsField, "id")));
    }

    /** The guards, on the page just downloaded, before any of it is delivered. */
    public void check(Exchange exchange) {
        Scan scan = scan(exchange);
        Answer answer = exchange.getProperty(Answer.PROPERTY, Answer.class);
        scan.pagesRead++;
        if (answer.totalItems() != null) {
            if (scan.total != null && !scan.total.equals(answer.totalItems())) {
                if (scan.rescanned) {
                    throw new AbsorbPagingException(scan.path + ": totalItems changed again mid-scan (" + scan.total
                            + " to " + answer.totalItems() + ") after a rescan; stopping rather than skip records");
                }
                LOG.warn("{}: totalItems changed mid-scan ({} to {}): scanning again from the first page", scan.path,
                        scan.total, answer.totalItems());
                scan.rescanned = true;
                scan.total = answer.totalItems();
                scan.page = 0;
                scan.pagesRead = 0;
                scan.previousIds = null;
                scan.deliver = false;
                return;
            }
            scan.total = answer.totalItems();
            long most = (scan.total + pageSize - 1) / pageSize + 1;
            if (scan.pagesRead > most) {
                throw new AbsorbPagingException(scan.path + ": read " + scan.pagesRead + " pages where totalItems "
                        + scan.total + " allows at most " + most + "; stopping rather than loop");
            }
        }
        if (!answer.ids().isEmpty() && answer.ids().equals(scan.previousIds)) {
            throw new AbsorbPagingException(scan.path + ": page " + scan.page + " repeats page " + (scan.page - 1)
                    + " (the same " + answer.ids().size() + " ids); stopping rather than loop");
        }
        scan.deliver = true;
    }

    /** After a delivered page: a short or empty page ends the scan, a full one asks for the next. */
    public void advance(Exchange exchange) {
        Scan scan = scan(exchange);
        if (!scan.deliver) {
            return;
        }
        Answer answer = exchange.getProperty(Answer.PROPERTY, Answer.class);
        if (answer.records() < pageSize) {
            scan.more = false;
        } else {
            scan.previousIds = answer.ids();
            scan.page++;
        }
    }

    private static Scan scan(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Scan.class);
    }
}

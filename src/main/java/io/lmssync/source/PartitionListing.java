package io.lmssync.source;

import io.lmssync.source.Paging.Pages;
import io.lmssync.sync.SyncRun;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * How a run's partitions become known, once a run, before a plan's first batch: at once when they are read from
 * elsewhere (a roster, the settings, what parent streams handed over), or listed by the source page by page
 * ({@link Partitioning#listing}), each page a request of the run like any other. A listing under way is on the
 * exchange, read only here: the ids of its pages are partitions, not records.
 */
final class PartitionListing {

    /** The listing of a run's partitions under way, on the exchange. */
    private static final String LISTING = "lmsListing";

    private final RequestPlan plan;
    private final Pages pages;
    private final List<String> ids = new ArrayList<>();

    private PartitionListing(RequestPlan plan) {
        this.plan = plan;
        this.pages = plan.paging().start(plan.what(List.of()));
    }

    /**
     * The run's partitions, read once: at once when they are read from elsewhere; when the source lists them, its
     * next page is the request (true) until the listing's last page was read.
     */
    static boolean next(Exchange exchange, SyncRun run, Partitioning partitioning) throws Exception {
        RequestPlan lister = partitioning.listing();
        if (lister == null) {
            run.partitions(partitioning.read(exchange));
            return false;
        }
        PartitionListing listing = exchange.getProperty(LISTING, PartitionListing.class);
        if (listing == null) {
            listing = new PartitionListing(lister);
            exchange.setProperty(LISTING, listing);
        }
        if (listing.pages.more()) {
            lister.request(List.of(), null, listing.pages).on(exchange);
            return true;
        }
        run.partitions(partitioning.listed(listing.ids));
        return false;
    }

    /**
     * The listing the answer on the exchange is a page of, or null. The plan's next() runs as the loop's predicate, on
     * a copy whose properties Camel copies back but never removes: a listing is under way while the run's partitions
     * are not known, whatever the property says.
     */
    static PartitionListing underWay(Exchange exchange, SyncRun run) {
        return run.partitions() == null ? exchange.getProperty(LISTING, PartitionListing.class) : null;
    }

    /** A page of the listing: its ids are partitions, not records, so nothing of it is delivered (false). */
    boolean read(Exchange exchange, Answer answer) {
        if (!answer.ok()) {
            throw new Refusal(plan, exchange, answer).failure();
        }
        if (pages.read(answer)) {
            ids.addAll(answer.ids());
        }
        return false;
    }
}

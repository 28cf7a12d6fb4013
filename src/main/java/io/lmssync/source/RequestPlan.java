package io.lmssync.source;

import io.lmssync.record.LearningRecord;
import io.lmssync.sync.Partitions;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncWindows;
import io.lmssync.sync.SyncWindows.Window;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One stream's request plan, put together from fixed parts (the Airbyte lesson, in Camel's terms): where the records
 * are (method, path, fixed query, body, headers), how the call authenticates, how the run's time window reaches the
 * request ({@link WindowPlacement}), which partitions a run asks about and how many a request ({@link Partitioning}),
 * how an answer is paged ({@link Paging}), and where the records sit in it ({@link AnswerShape}). The stream template
 * ({@code routes/stream-templates.camel.yaml}) calls it step by step: partitions, batches, then per batch a scan of
 * pages (start, hasMore, next, check, deliverable, advance). A quirk no part covers is a small class in the source's
 * own package.
 */
public final class RequestPlan {

    /** The scan under way (one batch of partitions, page after page): on the exchange, read only by this class. */
    static final String SCAN = "lmsScan";
    /** The listing of a run's partitions under way, likewise. */
    private static final String LISTING = "lmsListing";

    private final String account;
    private final String method;
    private final String baseUrl;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> headers;
    private final String body;
    private final Processor auth;
    private final AnswerShape shape;
    private final WindowPlacement window;
    private final Partitioning partitioning;
    private final Paging paging;

    private RequestPlan(Builder b) {
        this.account = b.account;
        this.method = b.method;
        this.baseUrl = b.baseUrl.replaceAll("/+$", "");
        this.path = b.path;
        this.query = Map.copyOf(b.query);
        this.headers = Map.copyOf(b.headers);
        this.body = b.body;
        this.auth = b.auth;
        this.shape = b.shape;
        this.window = b.window;
        this.partitioning = b.partitioning;
        this.paging = b.paging;
    }

    /** A plan for {@code method path} on the account's {@code baseUrl}. */
    public static Builder of(String account, String method, String baseUrl, String path, Processor auth) {
        return new Builder(account, method, baseUrl, path, auth);
    }

    // --- the steps of the stream template ---

    /**
     * At the start of a run: the partitions it asks about, read once for the whole run. When they come from a listing
     * of the source's own, the listing is paged through next ({@link #listing}, {@link #nextListed},
     * {@link #listed}), each page through the account's gateway on the run's exchange, as any call of the run.
     */
    public void partitions(Exchange exchange) throws Exception {
        RequestPlan lister = partitioning.listing();
        if (lister == null) {
            run(exchange).partitions(partitioning.read(exchange));
        } else {
            exchange.setProperty(LISTING, new Listing(lister, lister.paging.start(List.of(), lister.what(List.of()))));
        }
    }

    /** Whether a listing of the run's partitions has pages left. */
    public boolean listing(Exchange exchange) {
        Listing listing = exchange.getProperty(LISTING, Listing.class);
        return listing != null && listing.scan.more;
    }

    /** The request for the listing's next page. */
    public void nextListed(Exchange exchange) {
        Listing listing = exchange.getProperty(LISTING, Listing.class);
        listing.plan.request(List.of(), null, listing.scan).on(exchange);
    }

    /** The listing's page just read: its ids are partitions; after the last page, they are the run's. */
    public void listed(Exchange exchange) {
        Listing listing = exchange.getProperty(LISTING, Listing.class);
        Answer answer = exchange.getProperty(Answer.PROPERTY, Answer.class);
        listing.plan.paging.check(listing.scan, answer);
        if (listing.scan.deliver) {
            listing.ids.addAll(answer.ids());
        }
        listing.plan.paging.advance(listing.scan, answer);
        if (!listing.scan.more) {
            run(exchange).partitions(partitioning.listed(listing.ids));
            exchange.removeProperty(LISTING);
        }
    }

    /** A listing of the run's partitions under way. */
    private record Listing(RequestPlan plan, Scan scan, List<String> ids) {
        Listing(RequestPlan plan, Scan scan) {
            this(plan, scan, new ArrayList<>());
        }
    }

    /** The run's partitions in batches, one request set each; a single empty batch when there are none. */
    public List<List<String>> batches(Exchange exchange) {
        Partitions partitions = run(exchange).partitions();
        if (partitions == null) {
            return List.of(List.of());
        }
        List<String> keys = partitions.keys();
        int size = partitioning.batchSize();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += size) {
            batches.add(List.copyOf(keys.subList(i, Math.min(i + size, keys.size()))));
        }
        return batches;
    }

    /** A scan of the batch in the body begins. */
    @SuppressWarnings("unchecked")
    public void start(Exchange exchange) {
        List<String> batch = exchange.getMessage().getBody(List.class);
        List<String> keys = batch == null ? List.of() : batch;
        exchange.setProperty(SCAN, paging.start(keys, what(keys)));
    }

    /** What a scan of the batch reads, for its errors: the path with the batch in it ({@code /courses/c1/...}). */
    private String what(List<String> batch) {
        Uri uri = new Uri(path);
        partitioning.place(uri, batch);
        return uri.path;
    }

    public boolean hasMore(Exchange exchange) {
        return scan(exchange).more;
    }

    /** The request for the scan's next page, put on the exchange for the gateway. */
    public void next(Exchange exchange) {
        Scan scan = scan(exchange);
        request(scan.batch, SyncWindows.window(exchange), scan).on(exchange);
    }

    /** The request for a batch, a window (null for none) and a page (null for none). */
    SourceRequest request(List<String> batch, Window w, Scan scan) {
        Uri uri = new Uri(path);
        query.forEach(uri::param);
        partitioning.place(uri, batch);
        if (w != null) {
            window.place(uri, w);
        }
        if (scan != null) {
            paging.place(uri, scan);
        }
        return new SourceRequest(account, method, URI.create(baseUrl + uri), body, headers, auth, shape);
    }

    /** The paging guards, on the page just downloaded, before any of it is delivered. */
    public void check(Exchange exchange) {
        paging.check(scan(exchange), exchange.getProperty(Answer.PROPERTY, Answer.class));
    }

    /** Whether the page just read is to be delivered (false when a rescan discarded it). */
    public boolean deliverable(Exchange exchange) {
        return scan(exchange).deliver;
    }

    /** After a delivered page: the next one, or the end of the scan (every record of its batch is in the sinks). */
    public void advance(Exchange exchange) throws Exception {
        Scan scan = scan(exchange);
        paging.advance(scan, exchange.getProperty(Answer.PROPERTY, Answer.class));
        if (!scan.more) {
            partitioning.scanned(exchange, scan.batch);
        }
    }

    /**
     * The partition the records on the exchange were read under, when their request read one (a path segment such as
     * Absorb's {@code /users/{userId}/enrollments/{courseId}/lessons}); else null. A mapper takes from it what the
     * source's objects do not say themselves.
     */
    public static String partition(Exchange exchange) {
        Scan scan = scan(exchange);
        return scan == null || scan.batch.size() != 1 ? null : scan.batch.get(0);
    }

    private static Scan scan(Exchange exchange) {
        return exchange.getProperty(SCAN, Scan.class);
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    /** One scan of a batch: where the paging is, and what the guards remember. */
    public static final class Scan {
        final List<String> batch;
        final String what;
        int page;
        int pagesRead;
        Long total;
        boolean rescanned;
        List<String> previousIds;
        boolean more = true;
        boolean deliver;

        Scan(List<String> batch, String what) {
            this.batch = batch;
            this.what = what;
        }
    }

    /** A request's path and query, built part by part. */
    public static final class Uri {
        private String path;
        private final Map<String, String> params = new LinkedHashMap<>();

        Uri(String path) {
            this.path = path;
        }

        /** Replaces {@code {name}} in the path with the value, encoded as a path segment. */
        public void segment(String name, String value) {
            path = path.replace("{" + name + "}", encode(value));
        }

        public void param(String name, String value) {
            params.put(name, value);
        }

        @Override
        public String toString() {
            StringBuilder uri = new StringBuilder(path);
            String separator = path.contains("?") ? "&" : "?";
            for (Map.Entry<String, String> p : params.entrySet()) {
                uri.append(separator).append(p.getKey()).append('=').append(encode(p.getValue()));
                separator = "&";
            }
            return uri.toString();
        }

        static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** Sets the parts of a plan; what is not set is none (no window, no partitions, no paging, a bare array). */
    public static final class Builder {
        private final String account;
        private final String method;
        private final String baseUrl;
        private final String path;
        private final Processor auth;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private AnswerShape shape = AnswerShape.ARRAY;
        private WindowPlacement window = WindowPlacement.none();
        private Partitioning partitioning = Partitioning.none();
        private Paging paging = Paging.none();

        private Builder(String account, String method, String baseUrl, String path, Processor auth) {
            this.account = account;
            this.method = method;
            this.baseUrl = baseUrl;
            this.path = path;
            this.auth = auth;
        }

        public Builder query(String name, String value) {
            query.put(name, value);
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A JSON body, the same for every request. */
        public Builder body(String json) {
            body = json;
            return this;
        }

        public Builder shape(AnswerShape answerShape) {
            shape = answerShape;
            return this;
        }

        public Builder window(WindowPlacement placement) {
            window = placement;
            return this;
        }

        public Builder partitions(Partitioning partitions) {
            partitioning = partitions;
            return this;
        }

        public Builder paging(Paging pages) {
            paging = pages;
            return this;
        }

        public RequestPlan build() {
            return new RequestPlan(this);
        }
    }

    /** How a run's time window [start, end) reaches a request. */
    @FunctionalInterface
    public interface WindowPlacement {

        void place(Uri uri, Window window);

        /** The request does not say (a snapshot). */
        static WindowPlacement none() {
            return (uri, window) -> { };
        }

        /** Query parameters in Unix seconds: {@code from=...&until=...}. */
        static WindowPlacement unixSecondsParams(String from, String until) {
            return (uri, w) -> {
                uri.param(from, String.valueOf(w.fromEpochSecond()));
                uri.param(until, String.valueOf(w.untilEpochSecond()));
            };
        }

        /** Path segments in Unix seconds: {@code {from}} and {@code {until}} in the path. */
        static WindowPlacement unixSecondsSegments() {
            return (uri, w) -> {
                uri.segment("from", String.valueOf(w.fromEpochSecond()));
                uri.segment("until", String.valueOf(w.untilEpochSecond()));
            };
        }

        /**
         * An OData filter on an ISO-8601 time field, with a sort that gives pages a total order:
         * {@code <filter>=<field> ge datetime'...' and <field> lt datetime'...'&<sortParam>=<sort>}.
         */
        static WindowPlacement odataFilter(String filterParam, String field, String sortParam, String sort) {
            return (uri, w) -> {
                uri.param(filterParam, field + " ge datetime'" + w.start() + "' and " + field + " lt datetime'"
                        + w.end() + "'");
                uri.param(sortParam, sort);
            };
        }
    }

    /**
     * Which partitions a run asks about (the partition router): their keys, read once at the start of a run (from a
     * file, the settings, or a listing of the source's own), which partition a record belongs to, and how a batch of
     * keys reaches a request. A reconciliation deletes only records of the partitions it read.
     */
    public interface Partitioning {

        /** The run's partitions; null when the stream is read whole. */
        Partitions read(Exchange exchange) throws Exception;

        /** The plan that lists the partitions' keys page by page, when they come from the source; else null. */
        default RequestPlan listing() {
            return null;
        }

        /** The run's partitions, from the keys a listing gave. */
        default Partitions listed(List<String> keys) {
            throw new UnsupportedOperationException("these partitions are not listed by the source");
        }

        int batchSize();

        void place(Uri uri, List<String> batch);

        /** Every record of the batch is in every sink (its scan ended): partitions handed over are done. */
        default void scanned(Exchange exchange, List<String> batch) throws Exception {
        }

        /** The stream is read whole. */
        static Partitioning none() {
            return new Partitioning() {
                @Override
                public Partitions read(Exchange exchange) {
                    return null;
                }

                @Override
                public int batchSize() {
                    return 1;
                }

                @Override
                public void place(Uri uri, List<String> batch) {
                }
            };
        }

        /** The keys in batches, joined by commas in a query parameter: {@code for_users=a@x,b@x}. */
        static Partitioning queryList(KeyReader keys, Function<LearningRecord, String> keyOf, String param,
                int batchSize) {
            return new Keyed(keys, null, keyOf, batchSize, (uri, batch) -> uri.param(param, String.join(",", batch)));
        }

        /** One key a request, as the path segment {@code {partition}}: {@code /courses/{partition}/enrollments}. */
        static Partitioning pathSegment(KeyReader keys, Function<LearningRecord, String> keyOf) {
            return new Keyed(keys, null, keyOf, 1, (uri, batch) -> uri.segment("partition", batch.get(0)));
        }

        /** Likewise, the keys the ids of what {@code listing} lists (Absorb's {@code GET /courses}). */
        static Partitioning pathSegment(RequestPlan listing, Function<LearningRecord, String> keyOf) {
            return new Keyed(null, listing, keyOf, 1, (uri, batch) -> uri.segment("partition", batch.get(0)));
        }
    }

    /** Partitions by key, read or listed. */
    private record Keyed(KeyReader keys, RequestPlan listing, Function<LearningRecord, String> keyOf, int batchSize,
            BiConsumer<Uri, List<String>> placement) implements Partitioning {

        @Override
        public Partitions read(Exchange exchange) throws Exception {
            return new Partitions(keys.keys(exchange), keyOf);
        }

        @Override
        public Partitions listed(List<String> listed) {
            return new Partitions(listed, keyOf);
        }

        @Override
        public void place(Uri uri, List<String> batch) {
            placement.accept(uri, batch);
        }
    }

    /** Where a run's partition keys come from. */
    @FunctionalInterface
    public interface KeyReader {
        List<String> keys(Exchange exchange) throws Exception;
    }
}

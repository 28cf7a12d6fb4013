package io.lmssync.source;

import io.lmssync.source.Paging.Pages;
import io.lmssync.sync.Partitions;
import io.lmssync.sync.SyncRun;
import io.lmssync.sync.SyncWindows;
import io.lmssync.sync.SyncWindows.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One stream's request plan, put together from fixed parts (the Airbyte lesson, in Camel's terms): where the records
 * are (method, path, fixed query, body, headers), how the call authenticates, how the run's time window reaches the
 * request ({@link WindowPlacement}), which partitions a run asks about and how many a request ({@link Partitioning}),
 * how an answer is paged ({@link Paging}), where the records sit in it ({@link AnswerShape}), what a refusal means
 * ({@link WhenRefused}), and the settings that shape its requests (named when the source refuses one). The stream
 * template asks it, window by window, for the next request and whether the answer is to be delivered
 * ({@link Requests}). A quirk no part covers is a small class in the source's own package that implements a part's
 * interface.
 */
public final class RequestPlan implements Requests {

    /** The scan under way (one window, batch after batch, page after page): on the exchange, read only here. */
    private static final String SCAN = "lmsScan";

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
    private final WhenRefused whenRefused;
    private final List<String> settings;

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
        this.whenRefused = b.whenRefused;
        this.settings = List.copyOf(b.settings);
    }

    /** A plan for {@code method path} on the account's {@code baseUrl}. */
    public static Builder of(String account, String method, String baseUrl, String path, Processor auth) {
        return new Builder(account, method, baseUrl, path, auth);
    }

    // --- the stream template's questions (Requests) ---

    /**
     * The window's next request, put on the exchange for the gateway. First, once a run, its partitions: read (a
     * roster, the settings, what parent streams handed over), or listed by the source page by page, each page a
     * request of the run like any other. Then the next page of the batch being read, a probe a refusal asked for, or
     * the first page of the next batch. False once every batch of the window is read (each batch's partitions are
     * marked read as its scan ends, after its records reached every sink).
     */
    @Override
    public boolean next(Exchange exchange) throws Exception {
        SyncRun run = run(exchange);
        if (run.partitions() == null && PartitionListing.next(exchange, run, partitioning)) {
            return true;
        }
        Window w = SyncWindows.window(exchange);
        Scan scan = exchange.getProperty(SCAN, Scan.class);
        if (scan == null || scan.window != w) {
            scan = new Scan(w, batches(run));
            exchange.setProperty(SCAN, scan);
        }
        if (scan.probe != null) {
            scan.probe.request().on(exchange);
            return true;
        }
        while (scan.batch == null || !scan.pages.more()) {
            if (scan.batch != null) {
                partitioning.scanned(exchange, scan.batch.keys());
            }
            if (scan.nextBatch() == null) {
                exchange.removeProperty(SCAN);
                return false;
            }
            scan.pages = paging.start(what(scan.batch.keys()));
        }
        request(scan.batch.keys(), w, scan.pages).on(exchange);
        return true;
    }

    /**
     * The answer just read: whether its records are to be delivered. A refusal the gateway let through is what
     * {@link WhenRefused} makes of it (a split, a partition left out, a probe, or the stream failing, naming the
     * settings that shape the request); a probe's answer is judged; an answer goes to the paging's guards.
     */
    @Override
    public boolean read(Exchange exchange) {
        Answer answer = answer(exchange);
        PartitionListing listing = PartitionListing.underWay(exchange, run(exchange));
        if (listing != null) {
            return listing.read(exchange, answer);
        }
        Scan scan = exchange.getProperty(SCAN, Scan.class);
        if (scan.probe == null && answer.ok()) {
            return scan.pages.read(answer);
        }
        new Refusal(this, exchange, answer).takenBy(scan);
        return false;
    }

    /** The run's partitions in batches, those the run left out aside; a single empty batch when there are none. */
    private List<List<String>> batches(SyncRun run) {
        Partitions partitions = run.partitions();
        if (partitions == null) {
            return List.of(List.of());
        }
        List<String> keys = partitions.keys().stream().filter(k -> !run.skippedPartition(k)).toList();
        int size = partitioning.batchSize();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += size) {
            batches.add(List.copyOf(keys.subList(i, Math.min(i + size, keys.size()))));
        }
        return batches;
    }

    /** What a scan of the batch reads, for its errors: the path with the batch in it ({@code /courses/c1/...}). */
    public String what(List<String> batch) {
        Uri uri = new Uri(path);
        partitioning.place(uri, batch);
        return uri.path();
    }

    /** The request for a batch, a window (null for none) and a page (null for none). */
    public SourceRequest request(List<String> batch, Window w, Pages pages) {
        Uri uri = new Uri(path);
        query.forEach(uri::param);
        partitioning.place(uri, batch);
        if (w != null) {
            window.place(uri, w);
        }
        if (pages != null) {
            pages.place(uri);
        }
        return request(uri);
    }

    /** The plan's request at a URI built from its path (a check's or a probe's). */
    public SourceRequest request(Uri uri) {
        return new SourceRequest(account, method, uri.on(baseUrl), body, headers, auth, shape);
    }

    /**
     * The partition the records on the exchange were read under, when their request read one (a path segment such as
     * Absorb's {@code /users/{userId}/enrollments/{courseId}/lessons}); else null. A mapper takes from it what the
     * source's objects do not say themselves.
     */
    public static String partition(Exchange exchange) {
        Scan scan = exchange.getProperty(SCAN, Scan.class);
        return scan == null || scan.batch == null || scan.batch.keys().size() != 1 ? null : scan.batch.keys().get(0);
    }

    private static Answer answer(Exchange exchange) {
        return exchange.getProperty(Answer.PROPERTY, Answer.class);
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    // --- what a check reads of the plan ---

    public String account() { return account; }
    public String method() { return method; }
    public String path() { return path; }
    public AnswerShape shape() { return shape; }
    public Paging paging() { return paging; }
    public Partitioning partitioning() { return partitioning; }
    public WindowPlacement window() { return window; }
    public WhenRefused whenRefused() { return whenRefused; }
    /** The settings that shape its requests (path, body, query), named when the source refuses one. */
    public List<String> settings() { return settings; }

    /** The source refused a request in a way that fails the stream; the message names the settings to check. */
    public static final class SourceRefusedException extends RuntimeException {
        public SourceRefusedException(String message) {
            super(message);
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
        private WhenRefused whenRefused = WhenRefused.fail();
        private final List<String> settings = new ArrayList<>();
        private List<String> keyFields = List.of();

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

        public Builder whenRefused(WhenRefused reaction) {
            whenRefused = reaction;
            return this;
        }

        /**
         * The fields that tell the records apart (the mapper's ids: {@link Reads#ids}): what an answer holds more than
         * once is delivered once ({@link Duplicates}).
         */
        public Builder keyedBy(List<String> fields) {
            keyFields = List.copyOf(fields);
            return this;
        }

        /** The settings that shape the requests (a path, a body, a sort), named when the source refuses one. */
        public Builder settings(String... keys) {
            settings.addAll(List.of(keys));
            return this;
        }

        public RequestPlan build() {
            shape = shape.keyedBy(keyFields);
            return new RequestPlan(this);
        }
    }
}

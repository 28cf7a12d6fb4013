package io.lmssync.source;

import io.lmssync.sync.SyncWindows.Window;

/** How a run's time window [start, end) reaches a request (the incremental part of a request plan). */
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
        return new ODataFilter(filterParam, field, sortParam, sort);
    }

    /** A placement that also orders the answer: a check proves the source accepts and honours the order. */
    interface Sorted extends WindowPlacement {

        /** The query parameter that orders the answer. */
        String sortParam();

        /** Its value: fields separated by commas, each ascending or, after {@code -}, descending. */
        String sort();
    }

    /** The OData filter and sort of {@link #odataFilter}. */
    record ODataFilter(String filterParam, String field, String sortParam, String sort) implements Sorted {
        @Override
        public void place(Uri uri, Window w) {
            uri.param(filterParam, field + " ge datetime'" + w.start() + "' and " + field + " lt datetime'"
                    + w.end() + "'");
            uri.param(sortParam, sort);
        }
    }
}

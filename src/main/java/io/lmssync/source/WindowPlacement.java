package io.lmssync.source;

import io.lmssync.sync.SyncWindows.Window;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * How a run's time window [start, end) reaches a request (the incremental part of a request plan), and where a request
 * says the window's end (the demo serves its sample records to the newest window only).
 */
public interface WindowPlacement {

    void place(Uri uri, Window window);

    /** The end of the window the request asks about, as this placement put it there; null when it says none. */
    Instant end(URI request);

    /** The request does not say (a snapshot). */
    static WindowPlacement none() {
        return new None();
    }

    /** Query parameters in Unix seconds: {@code from=...&until=...}. */
    static WindowPlacement unixSecondsParams(String from, String until) {
        return new UnixSecondsParams(from, until);
    }

    /** Path segments in Unix seconds: {@code {from}} and {@code {until}} in the path, {@code {until}} the later. */
    static WindowPlacement unixSecondsSegments() {
        return new UnixSecondsSegments();
    }

    /**
     * An OData filter on an ISO-8601 time field, with a sort that gives pages a total order:
     * {@code <filter>=<field> ge datetime'...' and <field> lt datetime'...'&<sortParam>=<sort>}.
     */
    static WindowPlacement odataFilter(String filterParam, String field, String sortParam, String sort) {
        return new ODataFilter(filterParam, field, sortParam, sort);
    }

    /**
     * Calendar dates in UTC, both days included, as Django REST analytics APIs filter:
     * {@code start_date=2026-01-01&end_date=2026-01-31} for [Jan 1, Feb 1). A day two windows share (windows that do
     * not end at midnight) is read by both; its records are delivered once.
     */
    static WindowPlacement calendarDates(String from, String until) {
        return new CalendarDates(from, until);
    }

    /** A query parameter of the request, decoded, or null. */
    static String param(URI request, String name) {
        String query = request.getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** A placement that also orders the answer: a check proves the source accepts and honours the order. */
    interface Sorted extends WindowPlacement {

        /** The query parameter that orders the answer. */
        String sortParam();

        /** Its value: fields separated by commas, each ascending or, after {@code -}, descending. */
        String sort();
    }

    /** No window: {@link #none}. */
    record None() implements WindowPlacement {
        @Override
        public void place(Uri uri, Window w) {
        }

        @Override
        public Instant end(URI request) {
            return null;
        }
    }

    /** {@link #unixSecondsParams}. */
    record UnixSecondsParams(String from, String until) implements WindowPlacement {
        @Override
        public void place(Uri uri, Window w) {
            uri.param(from, String.valueOf(w.fromEpochSecond()));
            uri.param(until, String.valueOf(w.untilEpochSecond()));
        }

        @Override
        public Instant end(URI request) {
            String end = param(request, until);
            return end == null ? null : Instant.ofEpochSecond(Long.parseLong(end));
        }
    }

    /** {@link #unixSecondsSegments}. */
    record UnixSecondsSegments() implements WindowPlacement {
        @Override
        public void place(Uri uri, Window w) {
            uri.segment("from", String.valueOf(w.fromEpochSecond()));
            uri.segment("until", String.valueOf(w.untilEpochSecond()));
        }

        /** The later of the path's segments in Unix seconds. */
        @Override
        public Instant end(URI request) {
            Long until = null;
            for (String segment : request.getPath().split("/")) {
                if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit) && segment.length() < 19) {
                    until = Math.max(until == null ? 0 : until, Long.parseLong(segment));
                }
            }
            return until == null ? null : Instant.ofEpochSecond(until);
        }
    }

    /** The OData filter and sort of {@link #odataFilter}. */
    record ODataFilter(String filterParam, String field, String sortParam, String sort) implements Sorted {
        private static final String LT = " lt datetime'";

        @Override
        public void place(Uri uri, Window w) {
            uri.param(filterParam, field + " ge datetime'" + w.start() + "' and " + field + LT + w.end() + "'");
            uri.param(sortParam, sort);
        }

        @Override
        public Instant end(URI request) {
            String filter = param(request, filterParam);
            int at = filter == null ? -1 : filter.indexOf(field + LT);
            if (at < 0) {
                return null;
            }
            int from = at + field.length() + LT.length();
            return Instant.parse(filter.substring(from, filter.indexOf('\'', from)));
        }
    }

    /** {@link #calendarDates}. */
    record CalendarDates(String from, String until) implements WindowPlacement {
        @Override
        public void place(Uri uri, Window w) {
            uri.param(from, LocalDate.ofInstant(w.start(), ZoneOffset.UTC).toString());
            // the last day the window covers: its end is exclusive
            uri.param(until, LocalDate.ofInstant(w.end().minusNanos(1), ZoneOffset.UTC).toString());
        }

        @Override
        public Instant end(URI request) {
            String end = param(request, until);
            return end == null ? null : LocalDate.parse(end).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }
}

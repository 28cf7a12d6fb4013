package io.lmssync.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Vendor units to canonical ones, in one visible place: Unix times, ISO dates, .NET durations, percentages. */
public final class Units {

    /** Beyond this a Unix time must be in milliseconds (it would be the year 33658 in seconds). */
    private static final long MILLIS_THRESHOLD = 1_000_000_000_000L;

    private Units() {
    }

    /**
     * A Unix time (seconds, as a number or a numeric string) as an ISO-8601 UTC instant; null for missing, null, empty
     * or 0. A value too large for seconds is read as milliseconds.
     */
    public static String epochToIso(JsonNode node, String field, String recordId) throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        long epoch;
        try {
            epoch = value.isNumber() ? value.asLong() : new BigDecimal(value.asText().trim()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidRecordException(recordId, field + " '" + value.asText() + "' is not a Unix time");
        }
        if (epoch == 0) {
            return null;
        }
        return (Math.abs(epoch) >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch))
                .toString();
    }

    /** A number 0-100 (number or numeric string) as is; null for missing or null. */
    public static Double number(JsonNode node, String field, String recordId) throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        try {
            return value.isNumber() ? value.asDouble() : new BigDecimal(value.asText().trim().replace("%", ""))
                    .doubleValue();
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(recordId, field + " '" + value.asText() + "' is not a number");
        }
    }

    /**
     * An ISO-8601 date-time as a UTC instant; one without an offset ("2024-01-02T03:04:05.123", as Absorb sends
     * them) is taken as UTC. Null for missing, null or empty.
     */
    public static String isoToUtc(JsonNode node, String field, String recordId) throws InvalidRecordException {
        String text = node.hasNonNull(field) ? node.get(field).asText().trim() : "";
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toString();
            } catch (DateTimeParseException e) {
                throw new InvalidRecordException(recordId, field + " '" + text + "' is not an ISO-8601 date-time");
            }
        }
    }

    /** .NET ticks (100 ns) as whole seconds. */
    public static Long ticksToSeconds(long ticks) {
        return ticks / 10_000_000L;
    }

    /** A .NET TimeSpan ("hh:mm:ss", "d.hh:mm:ss", seconds may carry a fraction) as whole seconds. */
    public static Long timeSpanSeconds(String text, String field, String recordId) throws InvalidRecordException {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = TIME_SPAN.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidRecordException(recordId, field + " '" + text + "' is not a duration (hh:mm:ss)");
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        return days * 86_400 + Long.parseLong(m.group(2)) * 3_600 + Long.parseLong(m.group(3)) * 60
                + Long.parseLong(m.group(4));
    }

    private static final Pattern TIME_SPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?");

    /** A percentage 0-100 as a fraction 0..1. */
    public static Double percentToFraction(Double percent) {
        return percent == null ? null : percent / 100.0;
    }
}

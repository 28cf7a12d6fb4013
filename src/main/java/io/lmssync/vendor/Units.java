package io.lmssync.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/** Vendor units to canonical ones, in one visible place: Unix times, percentages. */
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

    /** A percentage 0-100 as a fraction 0..1. */
    public static Double percentToFraction(Double percent) {
        return percent == null ? null : percent / 100.0;
    }
}

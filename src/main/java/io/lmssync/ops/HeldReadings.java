package io.lmssync.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Gauges read from the database when scraped that always read a number: when the database cannot answer, a gauge
 * keeps its last value (0 before the first) and {@code lms_sync_state_read_failures_total} counts the failed read, so
 * a scrape never shows NaN (which no alert rule compares) while the database is away.
 */
final class HeldReadings {

    /** A number read from the database, or from anything else that can fail. */
    interface Reading {
        double read() throws Exception;
    }

    /** One gauge's reading with the last value it had. */
    private static final class Held {

        private final Reading reading;
        private final Counter failures;
        private volatile double last;

        Held(Reading reading, Counter failures) {
            this.reading = reading;
            this.failures = failures;
        }

        double value() {
            try {
                double value = reading.read();
                if (!Double.isNaN(value)) {
                    last = value;
                }
            } catch (Exception e) {
                failures.increment(); // the database is away: the scrape answers with what it read last
            }
            return last;
        }
    }

    private final MeterRegistry registry;
    private final Counter failures;

    HeldReadings(MeterRegistry registry) {
        this.registry = registry;
        this.failures = Counter.builder("lms.sync.state.read.failures")
                .description("reads of lms-sync's state (its database, Quartz) for a meter that failed; the meter kept"
                        + " its last value")
                .register(registry);
    }

    /** Registers a gauge over the reading. */
    void gauge(String name, Tags tags, String description, Reading reading) {
        // Micrometer holds a gauge's object weakly: held strongly, whoever else keeps it
        Gauge.builder(name, new Held(reading, failures), Held::value).tags(tags).description(description)
                .strongReference(true).register(registry);
    }
}

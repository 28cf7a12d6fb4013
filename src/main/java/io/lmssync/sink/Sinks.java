package io.lmssync.sink;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.sync.Chunk;
import java.util.List;

/**
 * The sinks chosen by {@code sync.sinks}, checked at start-up, and the route each one is delivered through
 * ({@code direct:deliver-<sink>} in {@code routes/deliver.camel.yaml}).
 */
public final class Sinks {

    /**
     * Every built sink, in delivery order: the idempotent stores first and the file last, so that a chunk a later sink
     * fails on is re-sent to the earlier ones (harmless upserts) rather than written twice to files.
     */
    static final List<String> DELIVERY_ORDER = List.of("jdbc", "kafka", "thrive", "xapi", "file");

    private final List<String> chosen;

    public Sinks(Settings settings) {
        List<String> configured = settings.list("sync.sinks");
        if (configured.isEmpty()) {
            throw new ConfigurationException("sync.sinks is empty: choose one or more of " + DELIVERY_ORDER);
        }
        for (String sink : configured) {
            if (!DELIVERY_ORDER.contains(sink)) {
                throw new ConfigurationException("sync.sinks names an unknown sink '" + sink + "': choose from "
                        + DELIVERY_ORDER);
            }
        }
        chosen = DELIVERY_ORDER.stream().filter(configured::contains).toList();
    }

    public boolean has(String sink) {
        return chosen.contains(sink);
    }

    public List<String> names() {
        return chosen;
    }

    /** The routes a chunk goes through, one after the other: every sink's, or a catch-up chunk's one sink's. */
    public List<String> endpoints(Chunk chunk) {
        return chosen.stream().filter(s -> chunk.catchUpSink() == null || s.equals(chunk.catchUpSink()))
                .map(s -> "direct:deliver-" + s).toList();
    }
}

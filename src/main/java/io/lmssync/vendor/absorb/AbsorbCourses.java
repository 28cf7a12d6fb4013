package io.lmssync.vendor.absorb;

import io.lmssync.vendor.Answer;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/** The courses whose enrollments are read: {@code absorb.course-ids}, or, when empty, every course Absorb lists. */
public final class AbsorbCourses {

    /** The course ids of the run, on the exchange. */
    public static final String PROPERTY = "lmsCourseIds";

    private final List<String> configured;

    public AbsorbCourses(List<String> configured) {
        this.configured = List.copyOf(configured);
    }

    /** Starts the run's course list from the configured ids. */
    public void begin(Exchange exchange) {
        exchange.setProperty(PROPERTY, new ArrayList<>(configured));
    }

    /** Whether the courses must be found through GET /courses. */
    public boolean discover() {
        return configured.isEmpty();
    }

    /** Adds the ids of a page of GET /courses. */
    public void collect(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> ids = exchange.getProperty(PROPERTY, List.class);
        ids.addAll(exchange.getProperty(Answer.PROPERTY, Answer.class).ids());
    }
}

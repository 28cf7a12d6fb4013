package io.lmssync.source;

import io.lmssync.record.LearningRecord;
import java.util.function.Function;
import org.apache.camel.Processor;

/**
 * One stream of a source, declared once ({@link Source#streams}): everything else is derived from it. Its id is the
 * source's key and its name ({@code absorb-course-enrollments}); its route is the stream template's
 * ({@code routes/stream-templates.camel.yaml}) with its request plan and mapper as beans named from the id; it is on
 * when its source declares it (a source reads its own switches), read in time windows when its source is (unless
 * read whole), and scheduled with its source unless it has a cron of its own (a daily report group: a Quartz trigger
 * of its own).
 *
 * @param id        {@code <source>-<name>}: its cursor, its runs, its route and its MBean
 * @param source    the source's key
 * @param requests  what it asks the source, and how ({@link Requests})
 * @param mapper    its objects as canonical records
 * @param windowed  read in time windows from a cursor (else whole, every run)
 * @param cron      a schedule of its own (null: its source's)
 * @param cronKey   the setting that gives {@code cron}, named when it is wrong
 * @param parent    the stream whose records hand it partitions (null: none) ...
 * @param handOver  ... and the partition a parent record hands it
 */
public record Stream(String id, String source, RequestPlan requests, Processor mapper, boolean windowed, String cron,
        String cronKey, String parent, Function<LearningRecord, String> handOver) {

    /** The bean of its request plan, which the stream template asks for requests. */
    public String requestsBean() {
        return id + "-requests";
    }

    /** The bean of its mapper. */
    public String mapperBean() {
        return id + "-mapper";
    }

    /** The Quartz job that syncs it ({@code lms-sync/<job>}): its own when it has a cron of its own, else its source's. */
    public String syncJob() {
        return cron == null ? source : id;
    }

    /** The Quartz job that reconciles it (a windowed source's, all its streams together). */
    public String reconcileJob() {
        return source + "-reconcile";
    }

    /** The same stream, read whole every run (a child stream reads the partitions handed to it, whole). */
    public Stream whole() {
        return new Stream(id, source, requests, mapper, false, cron, cronKey, parent, handOver);
    }

    /** The same stream, on a schedule of its own: {@code cron}, which {@code key} sets. */
    public Stream scheduled(String ownCron, String key) {
        return new Stream(id, source, requests, mapper, windowed, ownCron, key, parent, handOver);
    }

    /** The same stream, reading a partition for each record of {@code parentStream} that {@code keyOf} names. */
    public Stream follows(String parentStream, Function<LearningRecord, String> keyOf) {
        return new Stream(id, source, requests, mapper, windowed, cron, cronKey, parentStream, keyOf);
    }
}

package io.lmssync.sync;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes lms-sync's own bookkeeping once it is older than {@code sync.retention}, so that nothing grows with time:
 * at start-up (a {@code --once} job run from cron never sees a schedule fire) and on {@code sync.retention.cron} (a
 * service runs for months without a restart). Only what no run, replay or operator needs any more goes; the records,
 * the record index, cursors, held deletions and waiting completions are the store itself and stay.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /**
     * A table and the rows of it that have served their purpose: every {@code ?} is the cut-off, of
     * {@code sync.retention} or (archive) of {@code sync.raw-archive.retention}.
     */
    private record Rule(String table, String delete, boolean archive) {
        Rule(String table, String delete) {
            this(table, delete, false);
        }
    }

    private static final List<Rule> RULES = List.of(
            // ended runs; each stream's last run stays, what JMX shows after a restart
            new Rule("sync_run", "DELETE FROM sync_run WHERE status <> 'running' AND started_at < ? "
                    + "AND id NOT IN (SELECT MAX(id) FROM sync_run GROUP BY stream)"),
            // finished windows of the backfill ledger: runs plan from the cursor, the ledger is their history
            new Rule("sync_window", "DELETE FROM sync_window WHERE status IN ('done', 'abandoned') "
                    + "AND COALESCE(finished_at, started_at) < ?"),
            new Rule("control_audit", "DELETE FROM control_audit WHERE at < ?"),
            // objects the vendor has not sent for that long, though every snapshot and every reconciliation re-reads
            // the whole history: it no longer has them in that form. (A dead letter whose record arrived valid left
            // at once.) Thrive's refusals (<stream>/thrive, ThrivePush.refused) are no vendor's: kept until retried.
            new Rule("dead_letter", "DELETE FROM dead_letter WHERE last_seen_at < ? AND stream NOT LIKE '%/thrive'"),
            // push_done keeps a completion from being pushed twice; a record deleted that long ago is no completion
            // and is never pushed (should the vendor bring it back, Thrive answers 200 for a completion it holds)
            new Rule("push_done", "DELETE FROM push_done WHERE pushed_at < ? AND record_id IN (SELECT record_id "
                    + "FROM record_index WHERE is_deleted = TRUE AND updated_at < ?)"),
            // a completion time a tombstone kept (MOOCit's first-seen times), for a record that has not come back
            // since, once push_done no longer holds its completion (after the rule above)
            new Rule("push_completion_time", "DELETE FROM push_completion_time WHERE record_id IN (SELECT record_id "
                    + "FROM record_index WHERE is_deleted = TRUE AND updated_at < ?) "
                    + "AND record_id NOT IN (SELECT record_id FROM push_done)"),
            // the raw archive's objects found deleted that long ago (the live ones are what a replay maps)
            new Rule("raw_object", "DELETE FROM raw_object WHERE deleted_at < ?", true));

    private final DataSource dataSource;
    private final Duration retention;
    private final Duration archiveRetention;
    private final Clock clock;

    public Retention(DataSource dataSource, Duration retention, Duration archiveRetention, Clock clock) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.archiveRetention = archiveRetention;
        this.clock = clock;
    }

    /** Reads and checks {@code sync.retention} (at least a day) and {@code sync.retention.cron}. */
    public static Retention of(DataSource dataSource, Settings settings, Clock clock) {
        Duration retention = settings.duration("sync.retention");
        Duration archive = settings.duration("sync.raw-archive.retention");
        for (Map.Entry<String, Duration> setting : Map.of("sync.retention", retention, "sync.raw-archive.retention",
                archive).entrySet()) {
            if (setting.getValue().compareTo(Duration.ofDays(1)) < 0) {
                throw new ConfigurationException(setting.getKey() + " must be at least a day (P1D), not "
                        + setting.getValue());
            }
        }
        String cron = settings.text("sync.retention.cron");
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            throw new ConfigurationException("sync.retention.cron is not a valid Quartz cron expression ('" + cron
                    + "'): " + e.getMessage());
        }
        return new Retention(dataSource, retention, archive, clock);
    }

    /** Deletes what is older than the retention; the rows deleted, by table. */
    public Map<String, Integer> prune() throws SQLException {
        OffsetDateTime ordinary = clock.instant().minus(retention).atOffset(ZoneOffset.UTC);
        OffsetDateTime archived = clock.instant().minus(archiveRetention).atOffset(ZoneOffset.UTC);
        Map<String, Integer> pruned = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (Rule rule : RULES) {
                OffsetDateTime cutoff = rule.archive() ? archived : ordinary;
                try (PreparedStatement delete = c.prepareStatement(rule.delete())) {
                    long parameters = rule.delete().chars().filter(ch -> ch == '?').count();
                    for (int i = 1; i <= parameters; i++) {
                        delete.setObject(i, cutoff);
                    }
                    pruned.put(rule.table(), delete.executeUpdate());
                }
            }
        }
        if (pruned.values().stream().anyMatch(n -> n > 0)) {
            LOG.info("retention {} (raw archive {}): pruned what ended before {}: {}", retention, archiveRetention,
                    ordinary.toInstant(), pruned);
        }
        return pruned;
    }

    /** At start-up: a failure is logged, and start-up goes on (the next prune catches up). */
    public void pruneQuietly() {
        try {
            prune();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot prune what sync.retention no longer keeps: {}", e.getMessage());
        }
    }
}

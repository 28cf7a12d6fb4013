package io.lmssync.sync;

import io.lmssync.record.LearningRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a full pull (a snapshot, a reconciliation) deletes, and when it must not. A record is gone when the store
 * holds it live and the pull, which had a fair chance to see it, did not: it was not among the ids the pull saw
 * (valid or dead-lettered), it lies in a partition the pull read (a learner of the roster, a course) and, for a
 * reconciliation, its update time lies in the range it read. A pull with an object whose id cannot be read deletes
 * nothing.
 *
 * <p>The planned deletions go to the {@code deletion} table. A pull that looks like an outage rather than a change
 * (an empty answer while the store holds live records, or more than {@code sync.delete-guard.max-fraction} of the
 * stream's live records gone, beyond {@code sync.delete-guard.min-count}) holds them there: nothing is deleted until
 * an operator applies them ({@link #held}) or a later full pull, which replaces them, no longer wants them.
 */
public final class Deletions {

    private static final Logger LOG = LoggerFactory.getLogger(Deletions.class);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final RecordIndex index;
    private final int chunkSize;
    private final double maxFraction;
    private final long minCount;

    public Deletions(DataSource dataSource, Dialect dialect, RecordIndex index, int chunkSize, double maxFraction,
            long minCount) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.index = index;
        this.chunkSize = chunkSize;
        this.maxFraction = maxFraction;
        this.minCount = minCount;
    }

    /**
     * Called once a full pull delivered everything: plans its deletions and returns the tombstones to deliver now,
     * in chunks (none when there is nothing to delete, or when they are held).
     */
    public Iterator<Chunk> plan(Exchange exchange) throws SQLException {
        SyncRun run = run(exchange);
        if (run.seen() == null) {
            return Collections.emptyIterator(); // not a full pull: it cannot tell what is gone
        }
        String stream = run.stream();
        // a new full pull replaces what an earlier one planned or held
        forStream("DELETE FROM deletion WHERE stream = ?", stream);
        if (!run.heldLiveRecords()) {
            run.deletions(0, 0); // a first sync: each live record of the stream is one this pull wrote
            return Collections.emptyIterator();
        }
        UnseenRecords unseen = new UnseenRecords(run, chunkSize);
        unseen.plan(dataSource, dialect);
        if (unseen.leftAlone() > 0) {
            LOG.info("{}: {} record(s) outside what this pull read are left alone", stream, unseen.leftAlone());
        }
        String outage = outage(run, unseen.planned(), unseen.live());
        if (outage != null) {
            forStream("UPDATE deletion SET held = TRUE WHERE stream = ?", stream);
            run.deletions(unseen.planned(), unseen.leftAlone());
            LOG.warn("{}: {} deletion(s) held: {}; apply them with the stream's applyHeldDeletions (JMX) or "
                    + "--apply-held={} if they are real", stream, unseen.planned(), outage, stream);
            return Collections.emptyIterator();
        }
        run.deletions(0, unseen.leftAlone());
        return tombstones(run, false);
    }

    /** One statement over the stream's deletions, its one parameter the stream. */
    private void forStream(String sql, String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, stream);
            statement.executeUpdate();
        }
    }

    /** Why the planned deletions look like an outage, or null when they look like a change. */
    private String outage(SyncRun run, long planned, long live) {
        if (planned == 0) {
            return null;
        }
        if (run.unidentifiedCount() > 0) {
            // a renamed id field, or broken objects: the records this pull did not see may be among them
            return run.unidentifiedCount() + " object(s) came back without a readable id, so this pull cannot vouch "
                    + "that the records it did not see are gone";
        }
        if (run.fetched() == 0) {
            return "the vendor answered nothing while the store holds " + live + " live record(s)";
        }
        if (planned > minCount && planned > maxFraction * live) {
            return String.format(Locale.ROOT, "%d of %d live records (%.1f%%) would go, more than "
                    + "sync.delete-guard.max-fraction (%.1f%%)", planned, live, 100.0 * planned / live,
                    100.0 * maxFraction);
        }
        return null;
    }

    /** The held deletions of the run's stream, as tombstones (an operator applies them: a run in APPLY mode). */
    public Iterator<Chunk> held(Exchange exchange) {
        return tombstones(run(exchange), true);
    }

    /** After the tombstones were delivered: they are no longer planned or held. */
    public void done(Exchange exchange) throws SQLException {
        SyncRun run = run(exchange);
        if (run.seen() == null && run.mode() != SyncRun.Mode.APPLY) {
            return; // planned nothing
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM deletion WHERE stream = ? AND held = ?")) {
            delete.setString(1, run.stream());
            delete.setBoolean(2, run.mode() == SyncRun.Mode.APPLY);
            delete.executeUpdate();
        }
    }

    /** How many deletions of the stream are held for an operator. */
    public long heldCount(String stream) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT COUNT(*) FROM deletion WHERE stream = ? AND held = TRUE")) {
            q.setString(1, stream);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The stream's planned (or held) deletions as tombstones carrying each record's last known content, in chunks;
     * a record delivered again since the deletion was planned is skipped.
     */
    private Iterator<Chunk> tombstones(SyncRun run, boolean held) {
        return new Iterator<>() {
            private String after = "";
            private List<LearningRecord> page;

            @Override
            public boolean hasNext() {
                if (page == null) {
                    page = page(run, held, after);
                }
                return !page.isEmpty();
            }

            @Override
            public Chunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Chunk chunk = new Chunk(run);
                page.forEach(chunk::add);
                after = page.get(page.size() - 1).recordId();
                page = null;
                return chunk;
            }
        };
    }

    private List<LearningRecord> page(SyncRun run, boolean held, String after) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("""
                SELECT d.record_id FROM deletion d JOIN record_index i ON i.record_id = d.record_id
                WHERE d.stream = ? AND d.held = ? AND d.record_id > ? AND i.is_deleted = FALSE
                  AND i.updated_at <= d.planned_at
                ORDER BY d.stream, d.record_id FETCH FIRST ? ROWS ONLY
                """)) {
            q.setString(1, run.stream());
            q.setBoolean(2, held);
            q.setString(3, after);
            q.setInt(4, chunkSize);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            Map<String, RecordIndex.Held> last = index.held(ids);
            List<LearningRecord> tombstones = new ArrayList<>();
            for (String id : ids) {
                LearningRecord content = last.containsKey(id) ? last.get(id).record() : null;
                tombstones.add(content == null ? LearningRecord.tombstone(id, run.tenant(), run.startedAt())
                        : content.deleted(run.startedAt()));
            }
            return tombstones;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deletions of " + run.stream() + ": " + e.getMessage(), e);
        }
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }
}

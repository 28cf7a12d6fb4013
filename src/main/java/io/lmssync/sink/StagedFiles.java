package io.lmssync.sink;

import io.lmssync.sync.Chunk;
import io.lmssync.sync.Chunk.StagedFile;
import io.lmssync.sync.JdbcBatch;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that appear exactly once per delivered chunk, whatever kills the process and when. A sink writes a chunk's
 * file under {@code <dir>/.staging/<process>/} (synced); the record index commits the chunk together with a row of
 * {@code staged_file} naming it; only then is it renamed into place and the folder synced. After a crash, start-up
 * rolls forward what was committed and deletes what was not: the next run delivers that chunk again, once.
 */
public final class StagedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(StagedFiles.class);
    static final String STAGING = ".staging";

    private final Path root;
    private final Path staging;
    private final DataSource dataSource;
    /** Staged files not committed yet, by run id: what is left of them when their run ends is deleted. */
    private final Map<Long, Set<Path>> uncommitted = new ConcurrentHashMap<>();
    /** A committed chunk's file could not be renamed: the next publish tries the leftovers first. */
    private volatile boolean behind;

    /**
     * @param root   the file sink's folder
     * @param holder this process's name among the nodes (its staging folder)
     */
    public StagedFiles(Path root, DataSource dataSource, String holder) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(STAGING).resolve(folderName(holder));
        this.dataSource = dataSource;
    }

    /** Whether a staged file is this process's. */
    private boolean ours(Path staged) {
        return staged.startsWith(staging);
    }

    /** The folder under .staging of the process that staged the file ({@code <root>/.staging/<holder>/...}). */
    private String holderFolder(Path staged) {
        Path relative = root.resolve(STAGING).relativize(staged);
        return relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
    }

    static String folderName(String holder) {
        return holder.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Writes the chunk's lines for {@code target} (a path under the sink's folder) to a staging file. */
    public void stage(Chunk chunk, Path target, List<String> lines) {
        Path absolute = root.resolve(target).normalize();
        Path staged = staging.resolve(root.relativize(absolute));
        write(staged, lines);
        SyncRun run = chunk.run();
        uncommitted.computeIfAbsent(run.id(), id -> {
            run.whenEnded(() -> discard(id));
            return ConcurrentHashMap.newKeySet();
        }).add(staged);
        chunk.staged().add(new StagedFile(staged.toString(), absolute.toString()));
    }

    /** A file that is not part of a chunk's delivery: written whole under a staging name, then moved into place. */
    public void writeNow(Path target, List<String> lines) {
        Path absolute = root.resolve(target).normalize();
        Path staged = staging.resolve(root.relativize(absolute));
        write(staged, lines);
        move(staged, absolute);
    }

    /** The chunk is committed (its staged_file rows with it): its files move into place. */
    public void publish(Chunk chunk) throws SQLException {
        if (chunk.staged().isEmpty()) {
            return;
        }
        // committed: from here on they are rolled forward, never discarded, even if a rename below fails
        Set<Path> pending = uncommitted.getOrDefault(chunk.run().id(), Set.of());
        chunk.staged().forEach(file -> pending.remove(Path.of(file.staged())));
        if (behind) {
            rollForward(this::ours); // an earlier chunk's files could not appear: they come first
        }
        try {
            for (StagedFile file : chunk.staged()) {
                move(Path.of(file.staged()), Path.of(file.target()));
            }
        } catch (UncheckedIOException e) {
            behind = true;
            throw e;
        }
        JdbcBatch.run(dataSource, "DELETE FROM staged_file WHERE staged = ?", chunk.staged(),
                (delete, file) -> delete.setString(1, file.staged()));
        chunk.staged().clear();
    }

    /**
     * Moves every committed chunk's files into place (a crash, or a folder that refused a rename, came between the
     * commit and the rename); the files that still cannot move, which stay staged for the next try.
     */
    private synchronized Set<Path> rollForward(java.util.function.Predicate<Path> whose) throws SQLException {
        List<StagedFile> committed = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT staged, target FROM staged_file")) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (whose.test(Path.of(rs.getString(1)))) {
                        committed.add(new StagedFile(rs.getString(1), rs.getString(2)));
                    }
                }
            }
        }
        List<StagedFile> moved = new ArrayList<>();
        Set<Path> stuck = ConcurrentHashMap.newKeySet();
        for (StagedFile file : committed) {
            try {
                move(Path.of(file.staged()), Path.of(file.target()));
                moved.add(file);
            } catch (UncheckedIOException e) {
                LOG.error("a committed file cannot appear yet: {}", e.getMessage());
                stuck.add(Path.of(file.staged()));
            }
        }
        JdbcBatch.run(dataSource, "DELETE FROM staged_file WHERE staged = ?", moved,
                (delete, file) -> delete.setString(1, file.staged()));
        if (!moved.isEmpty()) {
            LOG.warn("{} committed file(s) moved into place late", moved.size());
        }
        behind = !stuck.isEmpty();
        return stuck;
    }

    /**
     * At start-up: every committed chunk's files are moved into place (a crash came between the commit and the
     * rename), and the staging folders of processes no longer alive are deleted (their chunks were never committed
     * and are delivered again).
     */
    public void recover(Set<String> liveHolders) throws SQLException, IOException {
        Set<String> live = ConcurrentHashMap.newKeySet();
        liveHolders.forEach(h -> live.add(folderName(h)));
        // committed, not moved yet: moved now, or by a later try; a live process moves its own
        Set<Path> keep = rollForward(staged -> !live.contains(holderFolder(staged)));
        Path all = root.resolve(STAGING);
        if (!Files.isDirectory(all)) {
            return;
        }
        long deleted = 0;
        try (Stream<Path> folders = Files.list(all)) {
            for (Path folder : folders.toList()) {
                if (!live.contains(folder.getFileName().toString())) {
                    deleted += deleteTree(folder, keep);
                }
            }
        }
        if (deleted > 0) {
            LOG.warn("{} staged file(s) of a process that stopped were never committed: deleted (their chunks are "
                    + "delivered again)", deleted);
        }
    }

    /** A run ended: the staged files of its chunks that were never committed go (those chunks are sent again). */
    private void discard(long runId) {
        Set<Path> left = uncommitted.remove(runId);
        for (Path staged : left == null ? Set.<Path>of() : left) {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                LOG.warn("cannot delete the staged file {}: {}", staged, e.getMessage());
            }
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (String line : lines) {
                    writer.write(line);
                    writer.write('\n');
                }
                writer.flush();
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Renames a staged file into place (once: a target already there was moved before) and syncs its folder. */
    private static void move(Path staged, Path target) {
        try {
            if (!Files.exists(staged)) {
                if (Files.exists(target)) {
                    return; // moved already (a roll-forward, or an earlier try of this one)
                }
                throw new IOException("the committed file is gone from its staging folder and never reached its place"
                        + " (did something delete " + staged.getParent() + "?)");
            }
            Files.createDirectories(target.getParent());
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel folder = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                folder.force(true); // the rename itself survives a power cut
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staged + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the folder's files but those to keep, and the folders left empty; the number of files deleted. */
    private static long deleteTree(Path folder, Set<Path> keep) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            long files = 0;
            for (Path p : paths) {
                if (Files.isRegularFile(p) && !keep.contains(p)) {
                    Files.delete(p);
                    files++;
                } else if (Files.isDirectory(p)) {
                    try (Stream<Path> left = Files.list(p)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                }
            }
            return files;
        }
    }
}

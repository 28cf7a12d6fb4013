package io.lmssync.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's own folder in {@code sync.work-directory}, where answers are spooled, and the sweep of what killed
 * processes left there. Each process holds a lock on {@code spool-<id>.lock} beside its {@code spool-<id>/} folder; the
 * OS drops the lock when the process dies, even by {@code kill -9}. At start-up every folder whose lock is free is
 * deleted: a spool of a process still running from the same folder (the service, and an {@code --apply-held} beside
 * it) is held, and stays.
 */
public final class SpoolDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectory.class);
    private static final String PREFIX = "spool-";
    private static final String LOCK = ".lock";
    /** Answers the versions before per-process folders spooled straight into the work directory. */
    private static final Pattern LOOSE_ANSWER = Pattern.compile("[a-z0-9-]+-\\d+\\.json");

    /**
     * Lock files this JVM holds: never opened by a sweep, since closing any channel on a file drops every lock the
     * process holds on it (POSIX), which would hand a live spool to the next process's sweep.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private SpoolDirectory(Path directory, Path lockFile, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** Sweeps what dead processes left in the work directory, then claims a folder of this process's own. */
    public static SpoolDirectory claim(Path workDirectory) throws IOException {
        Files.createDirectories(workDirectory);
        sweep(workDirectory);
        while (true) {
            String name = PREFIX + UUID.randomUUID();
            Path lockFile = workDirectory.resolve(name + LOCK);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            // a sweep starting beside us may have taken the new file for a dead one and deleted it: a new name then
            if (lock != null && Files.exists(lockFile)) {
                HELD.add(lockFile.toAbsolutePath());
                Path directory = Files.createDirectory(workDirectory.resolve(name));
                return new SpoolDirectory(directory, lockFile, channel, lock);
            }
            channel.close();
        }
    }

    public Path path() {
        return directory;
    }

    /** The service stops: its spool goes (answers in it were deleted as their runs ended) and the lock with it. */
    @Override
    public void close() throws IOException {
        deleteTree(directory);
        Files.deleteIfExists(lockFile);
        lock.release();
        channel.close();
        HELD.remove(lockFile.toAbsolutePath());
    }

    private static void sweep(Path workDirectory) throws IOException {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(workDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(LOCK)) {
                    swept += sweepIfDead(entry, workDirectory.resolve(name.substring(0, name.length() - LOCK.length())));
                } else if (name.startsWith(PREFIX) && Files.isDirectory(entry)
                        && !Files.exists(workDirectory.resolve(name + LOCK))) {
                    swept += deleteTree(entry); // its owner was killed while it closed
                } else if (LOOSE_ANSWER.matcher(name).matches() && Files.isRegularFile(entry)) {
                    Files.delete(entry);
                    swept++;
                }
            }
        }
        if (swept > 0) {
            LOG.info("swept {} answer file(s) stopped processes left in {}", swept, workDirectory);
        }
    }

    /** Deletes a spool whose lock no process holds; leaves a held one alone. */
    private static int sweepIfDead(Path lockFile, Path directory) throws IOException {
        if (HELD.contains(lockFile.toAbsolutePath())) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return 0;
            }
            try {
                int files = Files.exists(directory) ? deleteTree(directory) : 0;
                Files.deleteIfExists(lockFile);
                return files;
            } finally {
                lock.release();
            }
        } catch (OverlappingFileLockException heldByThisProcess) {
            return 0;
        } catch (java.nio.file.NoSuchFileException goneMeanwhile) {
            return 0;
        }
    }

    /** Deletes a folder and what it holds; the number of files deleted. */
    private static int deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            int[] files = {0};
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    if (Files.isRegularFile(path)) {
                        files[0]++;
                    }
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return files[0];
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

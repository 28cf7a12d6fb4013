package io.lmssync.source;

import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work files answers are copied to ({@link AnswerDownload}), in this process's spool: one a run's exchange at a
 * time, whatever the length of a backfill, and never filling the disk the database and the files may share.
 */
final class AnswerSpool {

    /** The download's logger: its lines keep the name operators' log settings know them by. */
    private static final Logger LOG = LoggerFactory.getLogger(AnswerDownload.class);

    /** While an answer is spooled, the free space of its disk is checked again after every this many bytes. */
    private static final long FREE_SPACE_EVERY = 8L * 1024 * 1024;
    /** The answer spooled last on the exchange. */
    private static final String SPOOLED = "lmsSpooledAnswer";

    private final Path workDirectory;
    private final long keepFree;

    /**
     * @param workDirectory this process's spool, a folder of its own in {@code sync.work-directory}
     * @param keepFree      what spooling leaves free on that disk ({@code sync.work-directory.keep-free-bytes})
     */
    AnswerSpool(Path workDirectory, long keepFree) {
        this.workDirectory = workDirectory;
        this.keepFree = keepFree;
    }

    /**
     * A work file for the answer; the run's previous answer is delivered by now (pages are read one after the other),
     * so it goes: one file at a time, whatever the length of a backfill. There must be room for the answer (when it
     * says its length) with {@code keepFree} to spare.
     */
    Path file(Exchange exchange, SyncRun run, long declared) throws IOException {
        Path previous = exchange.getProperty(SPOOLED, Path.class);
        if (previous != null) {
            Files.deleteIfExists(previous);
        }
        Files.createDirectories(workDirectory);
        ensureFree(run, Math.max(declared, 0), declared);
        Path file = Files.createTempFile(workDirectory, run.stream() + "-", ".json");
        exchange.setProperty(SPOOLED, file);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("cannot delete the work file {}: {}", file, e.getMessage());
                }
            }
        });
        return file;
    }

    /** Copies the answer to its work file, checking the disk's free space as it grows. */
    void copy(InputStream in, Path file, SyncRun run) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        long checked = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                written += n;
                if (written - checked >= FREE_SPACE_EVERY) {
                    checked = written;
                    ensureFree(run, 0, -1);
                }
            }
        }
    }

    /**
     * Fails, naming sync.work-directory and what is free there, unless {@code more} bytes fit on the spool's disk with
     * {@code keepFree} to spare: a vendor's answer must not fill the disk the database and the files may be on.
     */
    private void ensureFree(SyncRun run, long more, long declared) throws IOException {
        long free = Files.getFileStore(workDirectory).getUsableSpace();
        if (free - more >= keepFree) {
            return;
        }
        throw new AnswerLimitException("no room to spool " + run.source() + "'s answer for " + run.stream()
                + ": sync.work-directory (" + workDirectory.toAbsolutePath().getParent() + ") has " + size(free)
                + " free" + (declared >= 0 ? ", the answer is " + size(declared) + " (its Content-Length)," : "")
                + " and sync.work-directory.keep-free-bytes keeps " + size(keepFree) + " free for what shares the disk"
                + " (the database, sync.file.directory); nothing of the answer is delivered and the cursor stays. Free"
                + " some space, or give sync.work-directory a disk of its own", null);
    }

    /** The answer's length as its Content-Length says, or -1 (none, or the compressed length). */
    static long declaredLength(Message message) {
        Long length = message.getHeader("Content-Length", Long.class);
        return length == null || message.getHeader("Content-Encoding") != null ? -1 : length;
    }

    private static String size(long bytes) {
        return RequestBounds.size(bytes);
    }
}

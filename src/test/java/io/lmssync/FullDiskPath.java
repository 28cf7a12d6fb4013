package io.lmssync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system, {@code jdbc:h2:fulldisk:/path/db}, over the real disk that runs out of space when told: once
 * {@link #leave} bytes more are written, each write fails with the IOException a full disk throws, until {@link #free}.
 * For machines where a test cannot mount a small file system to fill.
 */
public final class FullDiskPath extends FilePathWrapper {

    static final String SCHEME = "fulldisk";
    private static final AtomicLong LEFT = new AtomicLong(Long.MAX_VALUE);

    /** H2 makes one for each path it wraps, by reflection. */
    public FullDiskPath() {
    }

    static void register() {
        FilePath.register(new FullDiskPath());
    }

    /** From now on, this many bytes more fit. */
    static void leave(long bytes) {
        LEFT.set(bytes);
    }

    /** Space again. */
    static void free() {
        LEFT.set(Long.MAX_VALUE);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static void take(int bytes) throws IOException {
        if (LEFT.addAndGet(-bytes) < 0) {
            LEFT.addAndGet(bytes);
            throw new IOException("No space left on device");
        }
    }

    /** The disk's channel, its writes counted against the space left. */
    private static final class Channel extends FileBase {

        private final FileChannel channel;

        Channel(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            take(src.remaining());
            return channel.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            take(src.remaining());
            return channel.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            channel.force(metaData);
        }

        @Override
        public synchronized FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}

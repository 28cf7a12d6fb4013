package io.lmssync.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An answer read within its call's bounds ({@link RequestBounds#answer}): each read fails at once when the call's
 * deadline passed, and once the bytes read pass the cap.
 */
final class BoundedAnswer extends FilterInputStream {

    private final RequestCall call;

    BoundedAnswer(InputStream in, RequestCall call) {
        super(in);
        this.call = call;
        call.bounded();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (call.expired()) {
            throw call.deadlineExceeded();
        }
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            if (call.expired()) {
                throw call.deadlineExceeded();
            }
            throw e;
        }
        if (n < 0) {
            call.readToEnd();
            return n;
        }
        if (!call.read(n)) {
            call.abort();
            throw call.tooLarge(-1);
        }
        return n;
    }

    /** Skipped bytes are read (and counted) too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] skipped = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        return skipped.length == 0 ? 0 : Math.max(0, read(skipped, 0, skipped.length));
    }

    /** Closing what was not read to its end drops the connection instead of reading the rest. */
    @Override
    public void close() throws IOException {
        if (!call.atEnd()) {
            call.abort();
            try {
                super.close();
            } catch (IOException | RuntimeException gone) {
                // the connection was dropped on purpose
            }
            return;
        }
        super.close();
    }
}

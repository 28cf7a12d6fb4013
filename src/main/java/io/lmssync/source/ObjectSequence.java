package io.lmssync.source;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Reads an answer that is a bare sequence of JSON values (objects separated by commas, newlines or both, with no
 * enclosing brackets, as MOOCit's page shows its answer) as the one JSON array it stands for, streaming: {@code [},
 * the values separated by single commas, {@code ]}. An answer that already opens with {@code [} passes through
 * untouched, and so does anything that is not JSON (the parser then says where it breaks). Only the separators
 * between top-level values are rewritten, so a comma or bracket inside a string or a nested value is never touched.
 * Bytes, not characters: UTF-8 never uses an ASCII byte inside a multi-byte character.
 */
final class ObjectSequence extends FilterInputStream {

    private boolean started;
    private boolean ended;
    /** A comma is owed before the next top-level value. */
    private boolean separate;
    private int depth;
    private boolean inString;
    private boolean escaped;
    /** Inside a top-level number or word (not JSON an answer should hold, but the parser is the one to say so). */
    private boolean inBare;
    /** A byte read ahead that is still to be returned (after a comma or bracket this class inserted). */
    private int held = -1;

    private ObjectSequence(InputStream in) {
        super(in);
    }

    /** The answer as an array: itself when it is one, else its top-level values wrapped in one. */
    static InputStream asArray(InputStream answer) throws IOException {
        PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(answer, 1 << 16), 1);
        int first;
        do {
            first = in.read();
        } while (first == ' ' || first == '\n' || first == '\r' || first == '\t' || first == 0xEF || first == 0xBB
                || first == 0xBF);
        if (first != -1) {
            in.unread(first);
        }
        return first == '{' ? new ObjectSequence(in) : in;
    }

    @Override
    public int read() throws IOException {
        if (!started) {
            started = true;
            return '[';
        }
        if (held >= 0) {
            int b = held;
            held = -1;
            return track(b);
        }
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (ended) {
                    return -1;
                }
                ended = true;
                return ']';
            }
            if (depth > 0 || inString) {
                return track(b);
            }
            boolean space = b == ' ' || b == '\n' || b == '\r' || b == '\t';
            if (space || b == ',') {
                if (inBare) {
                    inBare = false;
                    separate = true;
                }
                if (space) {
                    return b;
                }
                continue; // separators between top-level values are written once, before the next value
            }
            if (separate) {
                separate = false;
                held = b;
                return ',';
            }
            return track(b);
        }
    }

    /** Follows strings and nesting; a top-level value that closes owes a comma to the next. */
    private int track(int b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
                separate = depth == 0;
            }
        } else if (b == '"') {
            inString = true;
        } else if (b == '{' || b == '[') {
            depth++;
        } else if (b == '}' || b == ']') {
            depth--;
            separate = depth == 0;
        } else if (depth == 0) {
            inBare = true;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = 0;
        while (n < length) {
            int b = read();
            if (b == -1) {
                return n == 0 ? -1 : n;
            }
            buffer[offset + n++] = (byte) b;
            if (b == '\n' && in.available() == 0) {
                break; // hand over what there is rather than wait for a slow answer's next bytes
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() != -1) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}

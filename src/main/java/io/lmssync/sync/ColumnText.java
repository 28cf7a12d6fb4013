package io.lmssync.sync;

import io.lmssync.record.Sha256;

/**
 * Text a vendor sent (an id, a partition key, a reason quoting either), as a column of lms-sync's own tables can hold
 * it whatever it holds: control characters written as {@code \u0000} escapes (PostgreSQL takes no NUL in a text
 * column), and text longer than the column a prefix, then {@code #} and the SHA-256 of the whole, so distinct texts
 * stay distinct and the same text is always stored the same way (a lookup encodes what it looks for alike). No
 * column's length decides whether a stream runs.
 */
public final class ColumnText {

    /** The columns ids and partition keys live in. */
    public static final int ID = 512;
    public static final int PARTITION = 1024;

    private ColumnText() {
    }

    /** The text as a column of {@code length} characters holds it; null stays null. */
    public static String of(String text, int length) {
        if (text == null) {
            return null;
        }
        String escaped = escape(text);
        if (escaped.length() <= length) {
            return escaped;
        }
        String hash = Sha256.hex(text);
        return escaped.substring(0, length - hash.length() - 1) + "#" + hash;
    }

    /** Control characters (but line breaks and tabs) as {@code \u0000} escapes, the rest as it was. */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isISOControl(ch) && !Character.isWhitespace(ch)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) ch));
            } else if (out != null) {
                out.append(ch);
            }
        }
        return out == null ? text : out.toString();
    }
}

package io.lmssync.ops;

import java.util.regex.Pattern;

/**
 * Text for a surface anyone who reaches the management port can read (the health messages): secrets masked and
 * e-mail addresses cut out. A failure message may quote what a vendor or Thrive answered, and they echo learners'
 * e-mails back; personal data stays in the store.
 */
public final class Redaction {

    static final String EMAIL = "<e-mail>";

    /**
     * An address as written, or URL-encoded in a query ({@code ana%40example.com}), in any script: letters and digits
     * of every language on both sides ({@code jürgen@müller.de}, {@code 用户@例子.广告}), as internationalised
     * addresses have them.
     */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "[\\p{L}\\p{M}\\p{N}._%+'-]+(?:@|%40)[\\p{L}\\p{M}\\p{N}-]+(?:\\.[\\p{L}\\p{M}\\p{N}-]+)+");

    private Redaction() {
    }

    public static String redact(String text) {
        return text == null ? null : EMAIL_ADDRESS.matcher(Secrets.mask(text)).replaceAll(EMAIL);
    }
}

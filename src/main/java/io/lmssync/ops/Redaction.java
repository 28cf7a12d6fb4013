package io.lmssync.ops;

import java.util.regex.Pattern;

/**
 * Text for a surface anyone who reaches the management port can read (the health messages): secrets masked and
 * e-mail addresses cut out. A failure message may quote what a vendor or Thrive answered, and they echo learners'
 * e-mails back; personal data stays in the store.
 */
final class Redaction {

    static final String EMAIL = "<e-mail>";

    /** An address as written, or URL-encoded in a query ({@code ana%40example.com}). */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile("[\\w.%+'-]+(?:@|%40)[\\w-]+(?:\\.[\\w-]+)+");

    private Redaction() {
    }

    static String redact(String text) {
        return text == null ? null : EMAIL_ADDRESS.matcher(Secrets.mask(text)).replaceAll(EMAIL);
    }
}

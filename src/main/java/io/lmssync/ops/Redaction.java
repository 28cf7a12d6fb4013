package io.lmssync.ops;

import java.util.regex.Pattern;

/**
 * Text for a surface anyone who reaches the management port can read (the health messages): secrets masked and
 * e-mail addresses cut out. A failure message may quote what a vendor or Thrive answered, and they echo learners'
 * e-mails back; personal data stays in the store.
 */
public final class Redaction {

    static final String EMAIL = "<e-mail>";

    /** A local part: letters and digits of any script, and what addresses and their URL-encoding add. */
    private static final String LOCAL = "[\\p{L}\\p{M}\\p{N}._%+'-]+";
    /** The at sign as written, full-width, URL-encoded (once or twice), or as an HTML entity. */
    private static final String AT = "(?:@|\uFF20|%40|%2540|&#64;|&#[xX]40;)";
    /** A domain label in any script, or URL-encoded ({@code m%C3%BCller}). */
    private static final String LABEL = "[\\p{L}\\p{M}\\p{N}%-]+";
    /** The dots IDNA reads as the label separator: full stop, ideographic, full-width and half-width ones. */
    private static final String DOT = "[.\u3002\uFF0E\uFF61]";
    /** What is left of a domain where a text was cut: up to its end, or to an ellipsis. */
    private static final String CUT_SHORT = "[\\p{L}\\p{M}\\p{N}%.\u3002\uFF0E\uFF61-]*(?=\\.{3}|\u2026|\\z)";

    /**
     * An address as written, or URL-encoded in a query ({@code ana%40example.com},
     * {@code j%C3%BCrgen%40m%C3%BCller.de}), in any script ({@code jürgen@müller.de}, {@code 用户@例子.广告}); or one
     * cut short where a text was cut (its end, or an ellipsis: {@code 用户@例...}). A match starts only where a run of
     * such characters starts, so a long run costs one pass.
     */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile("(?<![\\p{L}\\p{M}\\p{N}._%+'-])" + LOCAL + AT
            + "(?:" + LABEL + "(?:" + DOT + LABEL + ")+" + "|" + CUT_SHORT + ")");

    private Redaction() {
    }

    public static String redact(String text) {
        return text == null ? null : EMAIL_ADDRESS.matcher(Secrets.mask(text)).replaceAll(EMAIL);
    }
}

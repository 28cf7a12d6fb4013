package io.lmssync.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paging by the RFC 8288 {@code Link} header's {@code rel="next"} target ({@code <https://.../?page=2>; rel="next"}),
 * absent on the last page: followed only on the base URL's scheme and host ({@link Uri#on}).
 */
public final class LinkHeaderPaging extends TokenPaging {

    /** One link-value: {@code <target>} and its parameters up to the next link-value. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>([^<]*)");
    /** A {@code rel} parameter, quoted or not; its value is a list of relation types separated by spaces. */
    private static final Pattern REL = Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]+))");

    @Override
    protected String token(Answer answer) {
        String header = answer.header("Link");
        return header == null ? null : next(header);
    }

    /** The target of the link whose relation types include {@code next}, or null. */
    static String next(String header) {
        Matcher link = LINK.matcher(header);
        while (link.find()) {
            Matcher rel = REL.matcher(link.group(2));
            if (rel.find()) {
                String types = rel.group(1) != null ? rel.group(1) : rel.group(2);
                for (String type : types.trim().split("\\s+")) {
                    if (type.equalsIgnoreCase("next")) {
                        return link.group(1).trim();
                    }
                }
            }
        }
        return null;
    }

    @Override
    protected void place(Uri uri, String link) {
        uri.follow(link);
    }

    @Override
    protected String describe() {
        return "the Link header's next";
    }
}

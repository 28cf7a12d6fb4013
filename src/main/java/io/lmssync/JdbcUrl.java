package io.lmssync;

import io.lmssync.ops.Secrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sync.jdbc.url} as it may be shown: PostgreSQL takes {@code ?password=} and H2 {@code ;PASSWORD=} in the URL,
 * so a message names the database without the URL's parameters, and the passwords it holds are registered as secrets
 * for the lines drivers and Flyway write themselves.
 */
final class JdbcUrl {

    /** password, sslpassword, PASSWORD... as a parameter, up to the next separator. */
    private static final Pattern PASSWORD = Pattern.compile("(?i)[?&;][\\w.-]*password=([^&;]*)");
    /** {@code //user:password@host}, which no driver here reads but a person may write. */
    private static final Pattern USER_INFO = Pattern.compile("//([^/@?;]*)@");

    private JdbcUrl() {
    }

    /** The URL up to its parameters: {@code jdbc:postgresql://db:5432/lms?...}, {@code jdbc:h2:file:./data/x;...}. */
    static String shown(String url) {
        String bare = USER_INFO.matcher(url).replaceFirst("//");
        int query = bare.indexOf('?');
        int settings = bare.indexOf(';');
        int cut = query < 0 ? settings : settings < 0 ? query : Math.min(query, settings);
        return cut < 0 ? bare : bare.substring(0, cut + 1) + "...";
    }

    /** Registers every password the URL holds as a secret. */
    static void registerPasswords(String url) {
        Matcher password = PASSWORD.matcher(url);
        while (password.find()) {
            Secrets.register(password.group(1));
        }
        Matcher userInfo = USER_INFO.matcher(url);
        if (userInfo.find() && userInfo.group(1).contains(":")) {
            Secrets.register(userInfo.group(1).substring(userInfo.group(1).indexOf(':') + 1));
        }
    }
}

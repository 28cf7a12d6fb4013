package io.lmssync.source;

import io.lmssync.source.Paging.PagingException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request's path and query, built part by part: the plan's path, then each part's segments and parameters; or a
 * link the source gave for the next page ({@link #follow}), which replaces them.
 */
public final class Uri {

    private String path;
    private final Map<String, String> params = new LinkedHashMap<>();
    private URI link;

    public Uri(String path) {
        this.path = path;
    }

    /** Replaces {@code {name}} in the path with the value, encoded as a path segment. */
    public Uri segment(String name, String value) {
        path = path.replace("{" + name + "}", encode(value));
        return this;
    }

    public Uri param(String name, String value) {
        params.put(name, value);
        return this;
    }

    /**
     * The request is the link the source gave (a next page's URL: absolute, or a reference resolved against the base
     * URL as RFC 3986 resolves it, so {@code /v1/x?page=2} is a path on its host), whatever the path and parameters
     * say.
     */
    public Uri follow(String sourceLink) {
        try {
            link = URI.create(sourceLink);
        } catch (IllegalArgumentException e) {
            throw new PagingException("the source's next link is not a URI (" + e.getMessage() + "): not followed");
        }
        return this;
    }

    /**
     * The full URI on the account's {@code baseUrl}: the base URL, the path and the query; or the link followed,
     * which must stay on the base URL's scheme, host and port (a source's answer does not send its credentials elsewhere).
     */
    public URI on(String baseUrl) {
        URI base = URI.create(baseUrl);
        if (link == null) {
            return URI.create(baseUrl + this);
        }
        URI to = base.resolve(link);
        if (!origin(base).equals(origin(to))) {
            throw new PagingException("the source's next link " + origin(to) + " leaves its base URL's scheme and host ("
                    + origin(base) + "), port included: not followed");
        }
        return to;
    }

    /**
     * Scheme, host and port (RFC 6454's origin), a port the scheme implies written as the base URL would. A host
     * java.net.URI does not parse as one (an underscore: {@code lms_mock}) leaves its authority as written, whole, so
     * two such hosts never pass for the same one.
     */
    private static String origin(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            return scheme + "://" + String.valueOf(uri.getRawAuthority()).toLowerCase(Locale.ROOT);
        }
        int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT)
                + (port == defaultPort ? "" : ":" + port);
    }

    /** The path so far, without the query. */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        StringBuilder uri = new StringBuilder(path);
        String separator = path.contains("?") ? "&" : "?";
        for (Map.Entry<String, String> p : params.entrySet()) {
            uri.append(separator).append(p.getKey()).append('=').append(encode(p.getValue()));
            separator = "&";
        }
        return uri.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

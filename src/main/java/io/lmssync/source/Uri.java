package io.lmssync.source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request's path and query, built part by part: the plan's path, then each part's segments and parameters. */
public final class Uri {

    private String path;
    private final Map<String, String> params = new LinkedHashMap<>();

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

package io.lmssync;

import io.lmssync.record.Sha256;
import io.lmssync.sink.Sinks;
import io.lmssync.source.Source;
import io.lmssync.source.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a cluster node runs, part by part, for {@link io.lmssync.sync.ClusterAgreement}: each route file's digest,
 * the enabled sources with their streams, the sinks, and the value of every setting that shapes a sync. Left out:
 * secrets (never written anywhere), and what is a node's own (its management port, work folder, pool size, the
 * database URL every node reaches in its own way).
 */
final class ClusterParts {

    /** Settings a node may set for itself. */
    private static final Set<String> OWN = Set.of("sync.work-directory", "sync.jdbc.url", "sync.jdbc.username",
            "sync.jdbc.pool-size", "sync.run-once", "sync.cluster.allow-differing", "sync.cluster.threads",
            "sync.file.directory", "sync.management.allowed-hosts", "sync.management.allowed-origins",
            "sync.work-directory.keep-free-bytes");

    private ClusterParts() {
    }

    static Map<String, String> of(Settings settings, Sources sources, Sinks sinks) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String pattern : Settings.split(settings.text("camel.main.routes-include-pattern"))) {
            routeFiles(pattern).forEach(parts::put);
        }
        for (Source source : sources.enabled()) {
            parts.put("source " + source.key(), String.join(",", sources.streams(source.key())));
        }
        parts.put("sync.sinks", String.join(",", sinks.names()));
        Set<String> secrets = new java.util.HashSet<>(SecretSettings.OTHER_KEYS);
        Sources.all().forEach(source -> secrets.addAll(Sources.secretKeys(source)));
        for (String key : KnownSettings.load().keys()) {
            if (!secrets.contains(key) && !OWN.contains(key) && KnownSettings.isOurs(key)) {
                settings.optional(key).ifPresent(value -> parts.put(key, value));
            }
        }
        return parts;
    }

    /** A file pattern's files and their digests ({@code file:routes/*.camel.yaml}); any other pattern as it is. */
    private static Map<String, String> routeFiles(String pattern) {
        Map<String, String> files = new LinkedHashMap<>();
        if (!pattern.startsWith("file:")) {
            files.put("routes " + pattern, pattern);
            return files;
        }
        Path glob = Path.of(pattern.substring("file:".length()));
        Path folder = glob.getParent() == null ? Path.of(".") : glob.getParent();
        try (DirectoryStream<Path> matched = Files.newDirectoryStream(folder, glob.getFileName().toString())) {
            for (Path file : matched) {
                files.put("route file " + file.getFileName(), Sha256.hex(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the route files of " + pattern, e);
        }
        return new java.util.TreeMap<>(files);
    }
}

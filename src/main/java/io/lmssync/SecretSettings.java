package io.lmssync;

import io.lmssync.ops.Secrets;
import io.lmssync.source.Sources;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Registers the values of the secret settings before Camel starts: Camel's properties parser logs each value it
 * resolves (at DEBUG), so a secret first registered when {@link Settings#secret} reads it would already be in a log.
 * The sources are Camel's: the command line's overrides, the environment, system properties and the file.
 */
final class SecretSettings {

    /** Secrets outside the sources' credentials. */
    static final List<String> OTHER_KEYS = List.of("sync.jdbc.password", "thrive.client-secret",
            "thrive.api-secret", "sync.xapi.password", "camel.component.kafka.sasl-jaas-config", "sync.management.password");
    private static final String JDBC_URL = "sync.jdbc.url";

    private SecretSettings() {
    }

    static void registerEarly(Path propertiesFile, Map<String, String> overrides) {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile)) {
            file.load(reader);
        } catch (IOException e) {
            // Camel reports an unreadable file when it loads it
        }
        List<String> keys = new ArrayList<>(OTHER_KEYS);
        Sources.all().forEach(source -> keys.addAll(Sources.secretKeys(source)));
        for (String key : keys) {
            values(key, file, overrides).forEach(Secrets::register);
        }
        values(JDBC_URL, file, overrides).forEach(JdbcUrl::registerPasswords);
    }

    /** The keys the settings file gives a value, in its order (an unreadable file has none here). */
    static List<String> keysOf(Path propertiesFile) {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile)) {
            file.load(reader);
        } catch (IOException e) {
            return List.of();
        }
        return file.stringPropertyNames().stream().sorted().toList();
    }

    private static Stream<String> values(String key, Properties file, Map<String, String> overrides) {
        return Stream.of(overrides.get(key), System.getenv(Settings.environmentVariable(key)), System.getProperty(key),
                file.getProperty(key)).filter(Objects::nonNull).map(String::trim);
    }
}

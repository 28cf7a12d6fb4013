package io.lmssync;

import io.lmssync.ops.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed, checked access to the settings: application.properties, overridden by environment variables (key upper-cased,
 * {@code .} and {@code -} turned into {@code _}) and by the command line. Every error names the key at fault.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** The environment variable that overrides a key: {@code moocit.base-url} is {@code MOOCIT_BASE_URL}. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A setting that must have a value. */
    public String text(String key) {
        return optional(key).orElseThrow(() -> new ConfigurationException(
                key + " is not set: give it a value in application.properties or set " + environmentVariable(key)));
    }

    /** A secret: it must be set, it is remembered so it never reaches a log, and it never has a value in the file. */
    public String secret(String key, String why) {
        return Secrets.register(required(key, why));
    }

    /** A setting an enabled part needs, such as a user name: the error says why and names the environment variable. */
    public String required(String key, String why) {
        return optional(key).orElseThrow(() -> new ConfigurationException(
                key + " is not set: " + why + "; set the environment variable " + environmentVariable(key)));
    }

    public boolean flag(String key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(key + " must be true or false, not '" + value + "'");
        };
    }

    public int positiveInt(String key) {
        String value = text(key);
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(key + " must be a whole number above 0, not '" + value + "'");
    }

    /** A number of bytes (or anything else counted past what an int holds), above 0. */
    public long positiveLong(String key) {
        String value = text(key);
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(key + " must be a whole number above 0, not '" + value + "'");
    }

    /** A fraction between 0 and 1 (0.1 is ten percent). */
    public double fraction(String key) {
        String value = text(key);
        try {
            double d = Double.parseDouble(value);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException(key + " must be a fraction between 0 and 1 (0.1 is ten percent), not '"
                + value + "'");
    }

    /** An ISO-8601 duration (PT30S, P30D); never negative. */
    public Duration duration(String key) {
        String value = text(key);
        try {
            Duration d = Duration.parse(value);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new ConfigurationException(key + " must be an ISO-8601 duration such as PT30S, PT1H or P30D, not '"
                + value + "'");
    }

    /** An http(s) URL with a host. */
    public URI url(String key) {
        String value = text(key);
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && (value.startsWith("http://") || value.startsWith("https://"))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigurationException(key + " is not a valid http(s) URL ('" + value + "')");
    }

    /** A comma-separated list, trimmed, empty entries dropped. */
    public List<String> list(String key) {
        return optional(key).map(Settings::split).orElse(List.of());
    }

    /** A comma-separated value as a list, trimmed, empty entries dropped. */
    public static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

package io.lmssync.source;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.sync.SyncWindows;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quartz.CronExpression;

/**
 * The vendors lms-sync pulls from: the prefix of their settings, the credentials they need, and the route a run
 * starts at ({@code direct:<vendor>-run} in {@code routes/<vendor>.camel.yaml}).
 */
public enum Vendor {

    MOOCIT("moocit", "moocit", "MOOCit", false, List.of("moocit.token"), Set.of()),
    CONTINU("continu", "continu", "Continu", true, List.of("continu.client-id", "continu.client-secret"),
            Set.of("continu.client-id")),
    CONTINU_REPORTING("continu-reporting", "continu", "Continu Reporting", true, List.of("continu-reporting.token"),
            Set.of()),
    ABSORB("absorb", "absorb", "Absorb", true, List.of("absorb.api-key", "absorb.username", "absorb.password"),
            Set.of("absorb.username"));

    private final String key;
    private final String account;
    private final String displayName;
    private final boolean windowed;
    private final List<String> credentialKeys;
    private final Set<String> identifierKeys;

    /**
     * @param credentialKeys every setting the vendor's calls need
     * @param identifierKeys those of them that name an account rather than unlock it (a user name, a client id): not
     *                       masked in logs, where a short one ('sync') would garble every word that holds it
     */
    Vendor(String key, String account, String displayName, boolean windowed, List<String> credentialKeys,
            Set<String> identifierKeys) {
        this.key = key;
        this.account = account;
        this.displayName = displayName;
        this.windowed = windowed;
        this.credentialKeys = credentialKeys;
        this.identifierKeys = identifierKeys;
    }

    public String key() { return key; }

    /** The vendor account whose rate budget the vendor's calls share (Continu's APIs share one). */
    public String account() { return account; }

    public String displayName() { return displayName; }

    /** Read incrementally in time windows from a cursor (else a full snapshot every run). */
    public boolean windowed() { return windowed; }

    /** Where one pass of every stream of the vendor starts. */
    public String runEndpoint() { return "direct:" + key + "-run"; }

    public static Optional<Vendor> byKey(String key) {
        return Arrays.stream(values()).filter(v -> v.key.equals(key)).findFirst();
    }

    /** The vendor of a stream: the one whose key starts the stream's id (the longest: continu-reporting first). */
    public static Optional<Vendor> ofStream(String stream) {
        return Arrays.stream(values()).filter(v -> stream.startsWith(v.key + "-"))
                .max(java.util.Comparator.comparingInt(v -> v.key.length()));
    }

    public boolean enabled(Settings settings) {
        return settings.flag(key + ".enabled");
    }

    /** The vendors whose {@code <vendor>.enabled} is true. */
    public static List<Vendor> enabledIn(Settings settings) {
        return Arrays.stream(values()).filter(v -> v.enabled(settings)).toList();
    }

    /**
     * Checks an enabled vendor's settings and returns its credentials by key. Fails start-up, naming the key, when a
     * credential is missing or the URL or schedule is wrong.
     */
    public Map<String, String> validate(Settings settings) {
        Map<String, String> credentials = new LinkedHashMap<>();
        for (String credential : credentialKeys) {
            String why = displayName + " is enabled (" + key + ".enabled=true) and needs it";
            credentials.put(credential, identifierKeys.contains(credential) ? settings.required(credential, why)
                    : settings.secret(credential, why));
        }
        tenant(settings);
        if (windowed) {
            SyncWindows.validate(settings, key);
        }
        for (String cronKey : windowed ? List.of(key + ".cron", key + ".reconcile-cron") : List.of(key + ".cron")) {
            String cron = settings.text(cronKey);
            try {
                CronExpression.validateExpression(cron);
            } catch (ParseException e) {
                throw new ConfigurationException(cronKey + " is not a valid Quartz cron expression ('" + cron + "'): "
                        + e.getMessage() + ". Example: 0 0 2 * * ? (every day at 02:00)");
            }
        }
        return credentials;
    }

    /** The host the vendor answers from, which is the source_tenant of its records. */
    public String tenant(Settings settings) {
        return settings.url(key + ".base-url").getHost();
    }

    /** The credentials that unlock the account (tokens, passwords, keys): masked wherever they could be shown. */
    public List<String> secretKeys() {
        return credentialKeys.stream().filter(k -> !identifierKeys.contains(k)).toList();
    }

    /** The sentence for a 401/403: which vendor refused, and the settings to check. */
    public String credentialsRejected(int status) {
        return displayName + " rejected the credentials (HTTP " + status + "): check "
                + String.join(", ", credentialKeys.stream()
                        .map(k -> k + " (" + Settings.environmentVariable(k) + ")").toList());
    }
}

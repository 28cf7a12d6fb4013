package io.lmssync.ops;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;

/**
 * Who may use the management server's Jolokia and status page, from the settings: under which Host names they answer
 * (this machine's, plus {@code sync.management.allowed-hosts}: a page of a name an attacker's DNS points here, a DNS
 * rebinding, is refused), which pages may call Jolokia (its own origin, plus {@code sync.management.allowed-origins}:
 * a page of another site in a browser on this machine is refused), and the credential every request needs once one is
 * set ({@code sync.management.username} and {@code sync.management.password}). A management server that listens
 * beyond loopback must have one: loopback is no trust boundary either (a browser tab, another process), but beyond it
 * anyone on the network would steer the streams.
 */
public final class ManagementAccess {

    static final String USERNAME = "sync.management.username";
    static final String PASSWORD = "sync.management.password";
    static final String ALLOWED_HOSTS = "sync.management.allowed-hosts";
    static final String ALLOWED_ORIGINS = "sync.management.allowed-origins";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> hosts;
    private final Set<String> origins;
    private final String username;
    private final byte[] credential;

    private ManagementAccess(Set<String> hosts, Set<String> origins, String username, String password) {
        this.hosts = Collections.unmodifiableSet(hosts);
        this.origins = Collections.unmodifiableSet(origins);
        this.username = username;
        this.credential = password == null ? null : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The access the settings describe, checked: a management host beyond loopback without a password stops the
     * start, naming the settings.
     */
    public static ManagementAccess of(Settings settings) {
        String bind = settings.optional("camel.management.host").orElse("0.0.0.0");
        Optional<String> password = settings.optional(PASSWORD).map(Secrets::register);
        String username = settings.optional(USERNAME).orElse("operator");
        if (password.isEmpty() && !loopback(bind)) {
            throw new ConfigurationException("camel.management.host is " + bind + ", which is not loopback: Jolokia's"
                    + " operations (runNow, pause, applyHeldDeletions, ...) and the status page would answer other"
                    + " machines without a credential. Set " + PASSWORD + " (" + Settings.environmentVariable(PASSWORD)
                    + "; the user is " + USERNAME + ", '" + username + "'), or listen on loopback alone with"
                    + " camel.management.host=127.0.0.1");
        }
        if (username.contains(":")) {
            throw new ConfigurationException(USERNAME + " cannot hold a ':' (HTTP Basic splits the user there)");
        }
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", name("::1")));
        if (wildcard(bind)) {
            hosts.addAll(machineNames());
        } else {
            hosts.add(name(bind));
        }
        for (String allowed : settings.list(ALLOWED_HOSTS)) {
            hosts.add(hostOf(allowed));
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : settings.list(ALLOWED_ORIGINS)) {
            origins.add(origin(origin).orElseThrow(() -> new ConfigurationException(ALLOWED_ORIGINS + " holds '"
                    + origin + "', which is no origin: write scheme://host[:port], e.g. http://localhost:8080")));
        }
        return new ManagementAccess(hosts, origins, username, password.orElse(null));
    }

    /**
     * Puts the gate ({@link ManagementGuard}) in front of the management server's Jolokia and status page; false when
     * the server is not up yet (or not at all).
     */
    public boolean guard(CamelContext context) {
        return ManagementGuard.install(context, this);
    }

    /** Whether every request to Jolokia and the status page must carry the credential. */
    boolean credentialRequired() {
        return credential != null;
    }

    /** The Host names the guarded paths answer under. */
    Set<String> hosts() {
        return hosts;
    }

    /** Why a request with this Host header is refused; empty when its name is one of ours. */
    Optional<String> hostRefusal(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return Optional.of("the request names no Host");
        }
        String host = hostOf(hostHeader);
        return hosts.contains(host) ? Optional.empty() : Optional.of("the Host '" + host + "' is not a name of this"
                + " management server (a proxy's name goes in " + ALLOWED_HOSTS + ")");
    }

    /**
     * Why a request from a browser page is refused; empty for one from the management server's own origin (the Host it
     * was sent to), from an origin of {@code sync.management.allowed-origins}, or from no page at all (no Origin and no
     * Referer: curl, a JMX client, Hawtio's server). A Referer stands in for a missing Origin, as Jolokia's own check
     * reads it.
     */
    Optional<String> originRefusal(String originHeader, String referer, String hostHeader, boolean tls) {
        String claimed = originHeader != null ? originHeader : referer;
        if (claimed == null || claimed.isBlank()) {
            return Optional.empty();
        }
        Optional<String> origin = origin(claimed);
        if (origin.isEmpty()) {
            return Optional.of("the request comes from a page with no origin to check ('" + claimed.strip() + "')");
        }
        Optional<String> own = hostHeader == null ? Optional.empty()
                : origin((tls ? "https://" : "http://") + hostHeader.strip());
        if (origin.equals(own) || origins.contains(origin.get())) {
            return Optional.empty();
        }
        return Optional.of("a page of " + origin.get() + " may not call the management server (Hawtio's origin goes in "
                + ALLOWED_ORIGINS + ")");
    }

    /** The user a request's Authorization header authenticates; empty when it carries no valid credential. */
    Optional<String> authenticate(String authorization) {
        if (credential == null || authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(credential, given) ? Optional.of(username) : Optional.empty();
    }

    /** {@code scheme://host:port}, lower-case, the port always written; empty when the text is no http(s) URL. */
    static Optional<String> origin(String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                return Optional.empty();
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return Optional.of(scheme + "://" + name(uri.getHost()) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The host name of a Host header or a {@code name[:port]} setting, normalised as {@link #name} does. */
    static String hostOf(String hostAndPort) {
        String text = hostAndPort.strip();
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            return name(end < 0 ? text.substring(1) : text.substring(1, end));
        }
        int colon = text.indexOf(':');
        // one colon: name:port; more: a bare IPv6 address
        return name(colon >= 0 && text.indexOf(':', colon + 1) < 0 ? text.substring(0, colon) : text);
    }

    /** A host name lower-case, an IP address in Java's one spelling (::1 and 0:0:0:0:0:0:0:1 alike), no brackets. */
    static String name(String host) {
        String bare = host.strip().replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        if (bare.contains(":") || IPV4.matcher(bare).matches()) {
            try {
                // a literal: no lookup
                return InetAddress.getByName(bare).getHostAddress().replaceFirst("%.*$", "");
            } catch (UnknownHostException e) {
                return bare;
            }
        }
        return bare;
    }

    private static boolean wildcard(String bind) {
        String host = name(bind);
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals(name("::"));
    }

    static boolean loopback(String bind) {
        String host = name(bind);
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return !wildcard(bind) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** This machine's names and addresses, for a server that listens on every interface. */
    private static Set<String> machineNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(name(local.getHostName()));
            names.add(name(local.getCanonicalHostName()));
        } catch (UnknownHostException e) {
            // a machine without a resolvable name of its own: its addresses below
        }
        try {
            NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .forEach(address -> names.add(name(address.getHostAddress())));
        } catch (SocketException e) {
            // no interfaces to list: loopback and the settings' names remain
        }
        return names;
    }
}

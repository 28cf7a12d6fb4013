package io.lmssync.ops;

import io.lmssync.record.Json;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.ext.web.impl.Utils;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.component.platform.http.spi.PlatformHttpPluginRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management server's gate in front of Jolokia and the status page, what Jolokia's policy file cannot say for
 * this deployment ({@link ManagementAccess}): a Host of ours (no DNS rebinding), a page of our own origin or one the
 * settings allow (no cross-site request from a browser on this machine), the credential once one is set; and for
 * Jolokia, anything that changes state ({@code exec}, {@code write}) only over POST with a JSON body, so that neither a
 * link, an image nor a cross-site form or {@code text/plain} POST (which a browser sends without asking) can run an
 * operation. It takes over Camel's Jolokia route (the same handler, run after these checks, as the caller the audit
 * names) and removes the Origin and Referer it vouched for: jolokia-access.xml's strict CORS check then refuses every
 * request that reaches Jolokia by any other way with a browser's headers.
 */
final class ManagementGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementGuard.class);
    /** Before Camel's own routes for the same paths (theirs count up from 0). */
    private static final int JOLOKIA_ORDER = -20;
    private static final int STATUS_ORDER = -10;
    /** Jolokia's requests that read: the only ones a GET may make. */
    private static final Set<String> READS = Set.of("read", "list", "search", "version");
    private static final long BODY_LIMIT = 1024 * 1024;
    private static final String CALLER = "lms-sync.caller";

    private final ManagementAccess access;

    private ManagementGuard(ManagementAccess access) {
        this.access = access;
    }

    /** Puts the gate in front of Jolokia and the status page, when the management server runs; false when not. */
    @SuppressWarnings("unchecked")
    static boolean install(CamelContext context, ManagementAccess access) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return false;
        }
        Router router = server.getRouter();
        ManagementGuard guard = new ManagementGuard(access);
        if (server.isJolokiaEnabled()) {
            PlatformHttpPluginRegistry plugins = context.getCamelContextExtension()
                    .getContextPlugin(PlatformHttpPluginRegistry.class);
            Handler<RoutingContext> jolokia = (Handler<RoutingContext>) plugins.resolvePluginById(
                    JolokiaPlatformHttpPlugin.NAME, JolokiaPlatformHttpPlugin.class).orElseThrow().getHandler();
            // a security policy handler: Vert.x runs those before the body is read
            SecurityPolicyHandler gate = guard::jolokia;
            router.route(server.getJolokiaPath() + "*").order(JOLOKIA_ORDER)
                    .handler(gate)
                    .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                    // Jolokia runs the MBean's operation on this thread: as the caller the gate let through
                    .blockingHandler(ctx -> Caller.as(ctx.get(CALLER), () -> {
                        jolokia.handle(ctx);
                        return null;
                    }), false);
        }
        SecurityPolicyHandler page = guard::page;
        router.route(StatusPage.PATH + "*").order(STATUS_ORDER).handler(page);
        LOG.info("management access: Jolokia and the status page answer the Host names {}{}", access.hosts(),
                access.credentialRequired() ? ", with the credential of " + ManagementAccess.USERNAME : "");
        return true;
    }

    private void jolokia(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
            ctx.response().putHeader("Allow", "GET, POST");
            refuse(ctx, 405, "Jolokia answers GET (to read) and POST (anything)");
            return;
        }
        Optional<String> user = admit(ctx);
        if (ctx.response().ended()) {
            return;
        }
        if (request.method() == HttpMethod.GET) {
            String type = requestType(ctx);
            if (!READS.contains(type)) {
                ctx.response().putHeader("Allow", "POST");
                refuse(ctx, 405, "'" + type + "' changes state: send it as a POST with Content-Type:"
                        + " application/json (a GET may only read, list, search or ask the version)");
                return;
            }
        } else if (!json(request.getHeader("Content-Type"))) {
            refuse(ctx, 415, "a POST to Jolokia must have Content-Type: application/json");
            return;
        }
        // checked above: Jolokia's own policy (strict CORS, jolokia-access.xml) refuses any that reach it
        request.headers().remove("Origin");
        request.headers().remove("Referer");
        ctx.put(CALLER, Caller.jolokia(user.orElse(null), request.remoteAddress().host()));
        ctx.next();
    }

    private void page(RoutingContext ctx) {
        admit(ctx);
        if (!ctx.response().ended()) {
            ctx.next();
        }
    }

    /** The checks every guarded request passes: Host, Origin, credential; the user, if one authenticated. */
    private Optional<String> admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = host(request);
        Optional<String> refusal = access.hostRefusal(host)
                .or(() -> access.originRefusal(request.getHeader("Origin"), request.getHeader("Referer"), host,
                        request.isSSL()));
        if (refusal.isPresent()) {
            refuse(ctx, 403, refusal.get());
            return Optional.empty();
        }
        if (!access.credentialRequired()) {
            return Optional.empty();
        }
        Optional<String> user = access.authenticate(request.getHeader("Authorization"));
        if (user.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"lms-sync\", charset=\"UTF-8\"");
            refuse(ctx, 401, "the management server needs the credential of " + ManagementAccess.USERNAME + " and "
                    + ManagementAccess.PASSWORD + " (HTTP Basic)");
        }
        return user;
    }

    /**
     * What a GET asks Jolokia for: the first segment of its path after Jolokia's, or of its {@code p} parameter when
     * the path is empty (as Jolokia reads it); {@code version} for neither. The path is the one Camel's Jolokia handler
     * hands over (Vert.x's offset of the route's wildcard, dot segments resolved: {@code read/../exec} is an exec).
     * Left encoded: only the four plain names of {@link #READS} pass.
     */
    private static String requestType(RoutingContext ctx) {
        String rest = Utils.pathOffset(ctx.request().path(), ctx);
        if (rest == null || rest.replace("/", "").isEmpty()) {
            rest = Optional.ofNullable(ctx.request().getParam("p")).orElse("");
        }
        String trimmed = rest.replaceFirst("^/+", "");
        int slash = trimmed.indexOf('/');
        String type = slash < 0 ? trimmed : trimmed.substring(0, slash);
        return type.isEmpty() ? "version" : type;
    }

    /** The Host the request was sent to: HTTP/1.1's Host header, HTTP/2's :authority; null for neither. */
    private static String host(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return null;
        }
        String name = authority.host();
        String bracketed = name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name;
        return authority.port() >= 0 ? bracketed + ":" + authority.port() : bracketed;
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    private static void refuse(RoutingContext ctx, int status, String why) {
        LOG.warn("management server: refused {} {} from {}: {}", ctx.request().method(), ctx.request().path(),
                ctx.request().remoteAddress().host(), why);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(Json.MAPPER.createObjectNode().put("status", status).put("error", why).toString());
    }
}

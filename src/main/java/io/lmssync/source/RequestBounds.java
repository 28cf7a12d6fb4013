package io.lmssync.source;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import io.lmssync.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Bounds on every call an account's gateway makes: a deadline for the whole request, {@code <account>.request-deadline}
 * (else {@code sync.http.request-deadline}), and a cap on its answer's size, {@code <account>.max-answer-bytes} (else
 * {@code sync.http.max-answer-bytes}). HttpClient's timeouts are per read: a vendor that trickles a byte now and then
 * holds the call, its stream's slot and the account's session as long as it likes. The deadline is a watchdog that
 * cancels the call when it passes, whether it waits for a connection, for the answer or in the middle of reading it:
 * HttpClient closes the connection, and a read blocked on it fails at once. The cap is counted as the answer is read.
 * Either fails the stream at once with an {@link AnswerLimitException} naming the setting: nothing of the answer is
 * delivered, and the cursor stays.
 */
public final class RequestBounds implements HttpClientConfigurer, AutoCloseable {

    /** The call under way on an exchange ({@link RequestCall}). */
    public static final String PROPERTY = "lmsRequestCall";

    static final String DEADLINE = "request-deadline";
    static final String MAX_BYTES = "max-answer-bytes";

    /**
     * The call this thread is about to make: the gateway's step before the HTTP endpoint sets it, and the HTTP
     * client's first handler, on the same thread, takes it. Camel's HTTP producer hands nothing of the exchange down.
     */
    private static final ThreadLocal<RequestCall> STARTING = new ThreadLocal<>();

    /** An account's bounds, with the settings they came from. */
    public record Limits(Duration deadline, String deadlineSetting, long maxBytes, String maxBytesSetting) {
    }

    private final Limits defaults;
    private final Map<String, Limits> byAccount;
    private final ScheduledThreadPoolExecutor watchdog;

    public RequestBounds(Limits defaults, Map<String, Limits> byAccount) {
        this.defaults = defaults;
        this.byAccount = Map.copyOf(byAccount);
        this.watchdog = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "lms-sync-request-deadline");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true); // a call that ended leaves no timer behind
    }

    /** The accounts' bounds from the settings, each checked (start-up fails naming the key). */
    public static RequestBounds of(Settings settings, Collection<String> accounts) {
        Limits defaults = new Limits(deadline(settings, "sync.http." + DEADLINE), "sync.http." + DEADLINE,
                settings.positiveLong("sync.http." + MAX_BYTES), "sync.http." + MAX_BYTES);
        Map<String, Limits> byAccount = new HashMap<>();
        for (String account : accounts) {
            String deadlineKey = account + "." + DEADLINE;
            String bytesKey = account + "." + MAX_BYTES;
            boolean ownDeadline = settings.optional(deadlineKey).isPresent();
            boolean ownBytes = settings.optional(bytesKey).isPresent();
            byAccount.put(account, new Limits(ownDeadline ? deadline(settings, deadlineKey) : defaults.deadline(),
                    ownDeadline ? deadlineKey : defaults.deadlineSetting(),
                    ownBytes ? settings.positiveLong(bytesKey) : defaults.maxBytes(),
                    ownBytes ? bytesKey : defaults.maxBytesSetting()));
        }
        return new RequestBounds(defaults, byAccount);
    }

    private static Duration deadline(Settings settings, String key) {
        Duration deadline = settings.duration(key);
        if (deadline.isZero()) {
            throw new ConfigurationException(key + " must be longer than no time at all (PT5M is five minutes)");
        }
        return deadline;
    }

    /** The account's bounds. */
    public Limits limits(String account) {
        return byAccount.getOrDefault(account, defaults);
    }

    /**
     * The gateway's step right before the HTTP call: the request's deadline starts. A call the exchange made before
     * has ended by now.
     */
    public void start(Exchange exchange) {
        end(exchange);
        SourceRequest request = SourceRequest.of(exchange);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String account = request == null ? "the vendor" : request.account();
        RequestCall call = new RequestCall(account, request == null ? "its request" : request.method() + " "
                + request.uri().getRawPath(), run == null ? null : run.stream(), limits(account));
        call.timer(watchdog.schedule(call::expire, call.limits().deadline().toNanos(), TimeUnit.NANOSECONDS));
        exchange.setProperty(PROPERTY, call);
        STARTING.set(call);
    }

    /**
     * The gateway's step once the answer was taken: the watchdog stands down. An answer left partly read (a refusal,
     * a probe's first page) gives up its connection rather than being read to the end when the exchange completes.
     */
    public void end(Exchange exchange) {
        RequestCall call = exchange.getProperty(PROPERTY, RequestCall.class);
        if (call != null) {
            exchange.removeProperty(PROPERTY);
            call.end();
        }
    }

    /**
     * The HTTP call failed with a network error (the gateway's doCatch): when the watchdog cancelled it, the deadline
     * is the error; otherwise the network error, as it was.
     */
    public void failed(Exchange exchange) throws Exception {
        RequestCall call = exchange.getProperty(PROPERTY, RequestCall.class);
        if (call != null && call.expired()) {
            throw call.deadlineExceeded();
        }
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    /** The answer's body, read within the call's bounds (as it came when the exchange made no call). */
    public InputStream answer(Exchange exchange, InputStream body) {
        RequestCall call = exchange.getProperty(PROPERTY, RequestCall.class);
        return call == null || body == null ? body : new BoundedAnswer(body, call);
    }

    /**
     * An answer that says, before a byte of it is read, that it is larger than the cap (its Content-Length, when no
     * Content-Encoding makes it the compressed size) fails now: it is not read.
     */
    public void checkDeclaredSize(Exchange exchange) {
        RequestCall call = exchange.getProperty(PROPERTY, RequestCall.class);
        Long length = exchange.getMessage().getHeader("Content-Length", Long.class);
        if (call != null && length != null && length > call.limits().maxBytes()
                && exchange.getMessage().getHeader("Content-Encoding") == null) {
            call.abort();
            throw call.tooLarge(length);
        }
    }

    /** The HTTP client of a gateway's endpoint ({@code httpClientConfigurer}): the watchdog can cancel its calls. */
    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("lms-sync-request-deadline", deadlineHandler());
    }

    private static ExecChainHandler deadlineHandler() {
        return (request, scope, chain) -> {
            RequestCall call = STARTING.get();
            STARTING.remove();
            if (call == null) {
                return chain.proceed(request, scope);
            }
            // the request the caller made is what HttpClient cancels (the chain works on a copy)
            call.attach(scope.originalRequest instanceof Cancellable cancellable ? cancellable
                    : () -> {
                        scope.execRuntime.discardEndpoint();
                        return true;
                    });
            try {
                return chain.proceed(request, scope);
            } catch (IOException | RuntimeException e) {
                if (call.expired()) {
                    throw call.deadlineExceeded();
                }
                throw e;
            }
        };
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                : bytes < 1024L * 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024))
                : String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
    }
}

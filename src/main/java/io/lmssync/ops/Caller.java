package io.lmssync.ops;

import java.rmi.server.RemoteServer;
import java.rmi.server.ServerNotActiveException;
import java.security.AccessController;
import java.util.function.Supplier;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;

/**
 * Who runs an operator's action and how, for {@code control_audit}: the channel ({@code jmx}, {@code jolokia},
 * {@code cli}) and the caller (the authenticated user and where from, or the remote address). The channel that takes
 * the call sets it for the thread the action runs on; an action called from nowhere else says so.
 */
public record Caller(String channel, String who) {

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    /** The caller of the action running on this thread. */
    public static Caller current() {
        Caller caller = CURRENT.get();
        return caller != null ? caller : new Caller("in-process", "this process");
    }

    /** Runs the action as the caller (a caller already set on this thread, further out, stays). */
    public static <T> T as(Caller caller, Supplier<T> action) {
        if (CURRENT.get() != null) {
            return action.get();
        }
        CURRENT.set(caller);
        try {
            return action.get();
        } finally {
            CURRENT.remove();
        }
    }

    /** The command line's operator: the operating system's user that started it. */
    public static Caller commandLine() {
        return new Caller("cli", System.getProperty("user.name", "unknown"));
    }

    /** A Jolokia request's caller: the user its credential named, if any, and the address it came from. */
    public static Caller jolokia(String user, String address) {
        return new Caller("jolokia", user == null ? address : user + " from " + address);
    }

    /**
     * A JMX call's caller, read on the thread the JMX connector runs it on: the user of an authenticated connector
     * (jmxremote.password), and the client's address over RMI (a local jconsole attaches over RMI too).
     */
    @SuppressWarnings("removal") // Subject.current() is Java 18's; on 17 this is how a connector's user is read
    static Caller jmx() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        String user = subject == null ? null : subject.getPrincipals(JMXPrincipal.class).stream()
                .map(JMXPrincipal::getName).findFirst().orElse(null);
        String address;
        try {
            address = RemoteServer.getClientHost();
        } catch (ServerNotActiveException e) {
            address = null; // not an RMI call: the platform MBeanServer called in this process
        }
        if (user == null && address == null) {
            return new Caller("jmx", "this process");
        }
        return new Caller("jmx", user == null ? address : address == null ? user : user + " from " + address);
    }
}

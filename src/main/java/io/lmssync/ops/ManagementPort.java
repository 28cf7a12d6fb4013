package io.lmssync.ops;

import io.lmssync.ConfigurationException;
import io.lmssync.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks at start-up that the management server can listen where it is told to. Camel only warns when the port is
 * taken, and the service would run on without health, metrics, Jolokia and the status page, while the address it
 * announces answers for another program (often another lms-sync): a probe or an operator would read the wrong one.
 */
public final class ManagementPort {

    private ManagementPort() {
    }

    public static void check(Settings settings) {
        if (!settings.flag("camel.management.enabled")) {
            return;
        }
        String host = settings.optional("camel.management.host").orElse("0.0.0.0");
        int port = Integer.parseInt(settings.optional("camel.management.port").orElse("8080").trim());
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // as the server will bind: a port left in TIME_WAIT by a stopped process is free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            String key = "camel.management.port";
            throw new ConfigurationException("the management server cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "): another program, often another lms-sync, holds the port. Stop it, choose"
                    + " a free port with " + key + " (" + Settings.environmentVariable(key) + "), or turn the"
                    + " monitoring off with camel.management.enabled=false");
        }
    }
}

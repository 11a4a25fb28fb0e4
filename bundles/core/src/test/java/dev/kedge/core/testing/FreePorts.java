package dev.kedge.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test servers that stop and start again on the same port. A port from the kernel's ephemeral range
 * (32768+, what {@code new ServerSocket(0)} hands out) can be taken as the source port of some outgoing connection
 * while its server is down (a client reconnecting to it can even connect to itself), and the restart then fails
 * with "address in use". Ports below that range are never handed out as source ports.
 */
public final class FreePorts {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000; // exclusive; below Linux's default ip_local_port_range

    private FreePorts() {
    }

    /** A loopback port below the ephemeral range that nothing listens on now. */
    public static int belowEphemeral() {
        for (int i = 0; i < 200; i++) {
            int port = LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + (HIGH - 1));
    }
}

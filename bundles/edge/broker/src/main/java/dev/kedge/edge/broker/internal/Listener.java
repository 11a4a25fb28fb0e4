package dev.kedge.edge.broker.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One listening socket and its acceptor thread ({@code kedge-mqtt-accept}), which only hands sockets on. */
final class Listener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final long JOIN_MS = 5_000;
    private static final long FAILURE_PAUSE_MS = 100;

    private final ServerSocket server;
    private final Consumer<Socket> accepted;
    private final Thread thread;

    Listener(ServerSocket server, String threadName, Consumer<Socket> accepted) {
        this.server = server;
        this.accepted = accepted;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (!server.isClosed()) {
            try {
                accepted.accept(server.accept());
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                // e.g. too many open files: pause rather than spin
                LOG.warn("MQTT listener {}: accept failed: {}", server.getLocalSocketAddress(), e.toString());
                try {
                    Thread.sleep(FAILURE_PAUSE_MS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes the socket and waits for the acceptor to end. */
    void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing MQTT listener: {}", e.toString());
        }
        try {
            thread.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

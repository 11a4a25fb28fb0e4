package dev.kedge.core.net;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** A listening socket of the {@link Acceptor}; its counters are for the owner's stats. */
@ProviderType
public interface Listening extends AutoCloseable {

    /** The bound address: the port is the one chosen for 0. */
    InetSocketAddress address();

    default int port() {
        return address().getPort();
    }

    /** Connections accepted, those dropped later included. */
    long accepted();

    /** Connections closed at once: the handler's queue was full. */
    long dropped();

    /** Accepts that failed (too many open files, say); each pauses the listener briefly. */
    long failures();

    /**
     * Stops accepting and closes the socket (a connect is refused once this returns); connections accepted but not
     * yet handed over are closed, and a handler still running is waited for a few seconds (not when the handler
     * itself closes). Idempotent.
     */
    @Override
    void close();
}

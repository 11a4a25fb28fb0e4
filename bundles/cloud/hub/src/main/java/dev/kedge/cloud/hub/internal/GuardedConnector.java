package dev.kedge.cloud.hub.internal;

import java.net.Socket;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A connector that asks its {@link ConnectionGuard} about every accepted socket before Jetty takes it: a refused one is
 * closed on the acceptor thread and never reaches a selector, a TLS engine or a pool thread.
 */
final class GuardedConnector extends ServerConnector {
    private final ConnectionGuard guard;

    GuardedConnector(Server server, ConnectionGuard guard, ConnectionFactory... factories) {
        super(server, factories);
        this.guard = guard;
        addEventListener(guard); // Connection.Listener of every connection this connector makes
        addBean(guard); // SslHandshakeListener: SslConnectionFactory takes those from the connector's beans
    }

    // Jetty's last call before it registers the socket; closing it here makes Jetty drop it
    @Override
    protected void configure(Socket socket) {
        if (guard.admit(socket)) {
            super.configure(socket);
        }
    }
}

package dev.kedge.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Core's one accept thread ({@code kedge-accept-1}) for every listening socket, instead of a blocking-accept thread
 * per listener. The thread only accepts: each connection, switched to blocking mode, goes to {@code onAccept} on a
 * serial lane of its listener ({@code kedge-<name>} while it runs, no thread while idle), so a slow handler (a TLS
 * or SSHD start) holds up neither the other listeners nor the accepting. A connection that finds the lane's queue
 * full is closed and counted.
 */
@ProviderType
public interface Acceptor {

    /**
     * Binds {@code address} (port 0: any free one) and accepts on it until the handle is closed.
     *
     * @param name names the lane (and the logs): {@code mqtt-accept} runs handlers as {@code kedge-mqtt-accept}
     * @param backlog the kernel's backlog, and how many accepted connections may wait for the handler
     * @param onAccept takes over the connection (a blocking channel): it closes it, or hands it on, and returns soon;
     *        one that throws gets its channel closed
     * @throws IOException when the address cannot be bound (in use, say)
     */
    Listening listen(String name, InetSocketAddress address, int backlog, Consumer<SocketChannel> onAccept)
            throws IOException;
}

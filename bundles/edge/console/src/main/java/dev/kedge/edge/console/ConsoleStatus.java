package dev.kedge.edge.console;

/**
 * The console's state and counters since it started.
 *
 * @param address            where it listens, e.g. {@code 127.0.0.1:8101}
 * @param sshdStarted        whether SSHD runs (it starts with the first connection)
 * @param openConnections    console connections open now
 * @param connections        connections accepted since start
 * @param refusedLogins      logins refused (wrong password or key, user without the role)
 * @param refusedConnections connections closed at once: over the limit, or SSHD could not start
 */
public record ConsoleStatus(String address, boolean sshdStarted, int openConnections, long connections,
        long refusedLogins, long refusedConnections) {
}

package dev.kedge.monitor;

/**
 * A snapshot of the monitor's endpoint.
 *
 * @param address      where it listens ({@code host:port})
 * @param ready        what {@code /readyz} answers now
 * @param sources      metric sources registered
 * @param requests     requests answered (any status)
 * @param refused      connections closed at once because {@code maxConnections} were open
 * @param timedOut     connections closed because the request did not arrive within the idle timeout
 * @param badRequests  requests answered 400, 404, 405 or 431
 */
public record MonitorStatus(String address, boolean ready, int sources, long requests, long refused, long timedOut,
        long badRequests) {
}

package dev.kedge.monitor.internal;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The checked configuration of a monitor endpoint, from either side's typed config. */
record MonitorSettings(String address, int port, List<String> requiredChecks, int maxConnections, int maxRequestBytes,
        Duration idleTimeout, int workerThreads) {

    static MonitorSettings of(CloudMonitorConfig c) {
        return of(c.address(), c.port(), c.requiredChecks(), c.maxConnections(), c.maxRequestBytes(),
                c.idleTimeoutMs(), c.workerThreads());
    }

    static MonitorSettings of(EdgeMonitorConfig c) {
        return of(c.address(), c.port(), c.requiredChecks(), c.maxConnections(), c.maxRequestBytes(),
                c.idleTimeoutMs(), c.workerThreads());
    }

    static MonitorSettings of(String address, int port, String[] requiredChecks, int maxConnections,
            int maxRequestBytes, int idleTimeoutMs, int workerThreads) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        List<String> checks = requiredChecks == null ? List.of()
                : Stream.of(requiredChecks).flatMap(s -> Stream.of(s.split(","))) // a .cfg value is one string
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new MonitorSettings(address.trim(), port, checks, atLeast(1, maxConnections, "maxConnections"),
                atLeast(256, maxRequestBytes, "maxRequestBytes"),
                Duration.ofMillis(atLeast(100, idleTimeoutMs, "idleTimeoutMs")),
                atLeast(1, workerThreads, "workerThreads"));
    }

    private static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}

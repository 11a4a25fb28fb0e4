package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.util.function.Supplier;

/** What the pod lifecycle's parts share: settings, clock, node identity, back-off, the workers and probes. */
final class PodSyncContext {
    final PodSettings settings;
    final Clock clock;
    final CrashBackoff backoff;
    final PodStatusReporter reporter;
    private final Supplier<String> nodeName;
    private final Supplier<String> hostIP;
    PodWorkers workers;
    ProbeManager probes;

    PodSyncContext(PodSettings settings, Clock clock, CrashBackoff backoff, PodStatusReporter reporter,
            Supplier<String> nodeName, Supplier<String> hostIP) {
        this.settings = settings;
        this.clock = clock;
        this.backoff = backoff;
        this.reporter = reporter;
        this.nodeName = nodeName;
        this.hostIP = hostIP;
    }

    String nodeName() {
        return nodeName.get();
    }

    String hostIP() {
        String ip = hostIP.get();
        return ip == null ? "" : ip;
    }
}

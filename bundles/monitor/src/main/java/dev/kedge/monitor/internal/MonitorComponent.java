package dev.kedge.monitor.internal;

import java.io.IOException;
import java.util.Map;

import dev.kedge.core.monitor.Readiness;
import dev.kedge.core.net.Acceptor;
import dev.kedge.monitor.Monitor;
import dev.kedge.monitor.MonitorStatus;

/**
 * What the cloud's and the edge's monitor components share: one endpoint over the whiteboard. The two differ only in
 * their PID and defaults (port, required checks), which DS takes from each subclass's annotations.
 */
abstract class MonitorComponent implements Monitor {
    private final MonitorEndpoint endpoint;

    MonitorComponent(Whiteboard whiteboard, MonitorSettings settings, Acceptor acceptor) throws IOException {
        this.endpoint = new MonitorEndpoint(whiteboard, settings, acceptor);
    }

    void close() {
        endpoint.close();
    }

    @Override
    public MonitorStatus status() {
        return endpoint.status();
    }

    @Override
    public Map<String, Readiness> readiness() {
        return endpoint.readiness();
    }

    @Override
    public String metrics() {
        return endpoint.metrics();
    }
}

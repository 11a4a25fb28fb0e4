package dev.kedge.monitor.internal;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import dev.kedge.core.monitor.Readiness;
import dev.kedge.monitor.Monitor;
import dev.kedge.monitor.MonitorStatus;

/** The edge node's monitor; active when its configuration exists (feature {@code kedge-edge-monitor}). */
@Component(name = "dev.kedge.edge.monitor", service = Monitor.class, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EdgeMonitorConfig.class)
public final class EdgeMonitorComponent implements Monitor {
    private final MonitorEndpoint endpoint;

    @Activate
    public EdgeMonitorComponent(@Reference Whiteboard whiteboard, EdgeMonitorConfig config) throws IOException {
        this.endpoint = new MonitorEndpoint(whiteboard, MonitorSettings.of(config));
    }

    @Deactivate
    void deactivate() {
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

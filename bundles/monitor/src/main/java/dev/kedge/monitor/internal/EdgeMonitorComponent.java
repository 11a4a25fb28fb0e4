package dev.kedge.monitor.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import dev.kedge.core.net.Acceptor;
import dev.kedge.monitor.Monitor;

/** The edge node's monitor; active when its configuration exists (feature {@code kedge-edge-monitor}). */
// immediate: /healthz must serve from the start, not once a command asks for the Monitor service
@Component(name = "dev.kedge.edge.monitor", service = Monitor.class, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = EdgeMonitorConfig.class)
public final class EdgeMonitorComponent extends MonitorComponent {

    @Activate
    public EdgeMonitorComponent(@Reference Whiteboard whiteboard, EdgeMonitorConfig config,
            @Reference Acceptor acceptor) throws IOException {
        super(whiteboard, MonitorSettings.of(config), acceptor);
    }

    @Deactivate
    void deactivate() {
        close();
    }
}

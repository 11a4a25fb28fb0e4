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

/** The cloud's monitor; active when its configuration exists (feature {@code kedge-cloud-monitor}). */
// immediate: /healthz must serve from the start, not once a command asks for the Monitor service
@Component(name = "dev.kedge.cloud.monitor", service = Monitor.class, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = CloudMonitorConfig.class)
public final class CloudMonitorComponent extends MonitorComponent {

    @Activate
    public CloudMonitorComponent(@Reference Whiteboard whiteboard, CloudMonitorConfig config,
            @Reference Acceptor acceptor) throws IOException {
        super(whiteboard, MonitorSettings.of(config), acceptor);
    }

    @Deactivate
    void deactivate() {
        close();
    }
}

package dev.kedge.edge.twin.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.hub.EdgeHub;
import dev.kedge.edge.hub.EdgeHubStatus;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.twin.DeviceSummary;
import dev.kedge.edge.twin.DeviceTwin;
import dev.kedge.edge.twin.TwinEntry;
import dev.kedge.edge.twin.TwinStats;

/**
 * KubeEdge's DeviceTwin as a bus module ({@code twin} / {@code twin}). Activation migrates the tables and loads the
 * devices; if that fails the component stays inactive (an ERROR says why). Asks EdgeHub for the link state when it
 * binds (after the constructor), since a link that came up before DeviceTwin was announced to nobody. Every 10 s
 * (shared scheduler) the outbox is trimmed to its bound and, when connected, sent.
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = TwinComponent.PID, service = {Module.class, DeviceTwin.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.TWIN, Module.GROUP + "=" + ModuleNames.GROUP_TWIN})
@Designate(ocd = TwinConfig.class)
public final class TwinComponent implements Module, DeviceTwin {
    public static final String PID = "dev.kedge.edge.twin";
    private static final Logger LOG = LoggerFactory.getLogger(TwinComponent.class);

    private final TwinProcessor processor;
    private final ScheduledFuture<?> periodic;
    private volatile EdgeHub hub;

    @Activate
    public TwinComponent(@Reference MessageBus bus, @Reference EdgeStore store, @Reference SharedScheduler scheduler,
            TwinConfig config) {
        try {
            this.processor = new TwinProcessor(bus, store, TwinSettings.of(config), this::nodeName);
        } catch (IllegalArgumentException | StoreException e) {
            LOG.error("DeviceTwin does not start: {}", e.getMessage());
            throw e;
        }
        this.periodic = scheduler.scheduleWithFixedDelay("twin outbox", processor::periodic, Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHub")
    void bindHub(EdgeHub edgeHub) {
        this.hub = edgeHub;
        if (processor != null && edgeHub.status().state() == EdgeHubStatus.State.CONNECTED) {
            processor.setConnected(true);
        }
    }

    void unbindHub(EdgeHub edgeHub) {
        if (hub == edgeHub) {
            hub = null;
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        periodic.cancel(false);
        processor.stop();
    }

    /** Configured name, else EdgeHub's (the name the cloud knows this node by), else the host name. */
    private String nodeName() {
        String configured = processor == null ? "" : processor.settings.nodeName();
        if (!configured.isEmpty()) {
            return configured;
        }
        EdgeHub h = hub;
        if (h != null && h.status().nodeName() != null && !h.status().nodeName().isBlank()) {
            return h.status().nodeName().strip();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void receive(Message message) {
        processor.receive(message);
    }

    @Override
    public List<DeviceSummary> devices() {
        return processor.devices();
    }

    @Override
    public List<TwinEntry> twins(String device) {
        return processor.twins(device);
    }

    @Override
    public TwinStats stats() {
        return processor.stats();
    }
}

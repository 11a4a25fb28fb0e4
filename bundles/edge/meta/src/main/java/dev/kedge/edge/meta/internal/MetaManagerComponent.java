package dev.kedge.edge.meta.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.edge.meta.MetaEntry;
import dev.kedge.edge.meta.MetaManager;
import dev.kedge.edge.meta.MetaStats;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.StoreException;

/**
 * KubeEdge's MetaManager as a bus module ({@code metamanager} / {@code meta}). Activation migrates the {@code meta}
 * table; if that fails the component stays inactive (an ERROR says why). Starts as "cloud disconnected" until
 * EdgeHub says otherwise. A configuration change restarts it (the bus keeps the mailbox meanwhile).
 */
@Component(name = MetaManagerComponent.PID, service = {Module.class, MetaManager.class},
        property = {Module.NAME + "=" + ModuleNames.METAMANAGER, Module.GROUP + "=" + ModuleNames.GROUP_META})
@Designate(ocd = MetaConfig.class)
public final class MetaManagerComponent implements Module, MetaManager {
    public static final String PID = "dev.kedge.edge.meta";
    private static final Logger LOG = LoggerFactory.getLogger(MetaManagerComponent.class);

    private final MetaProcessor processor;

    @Activate
    public MetaManagerComponent(@Reference MessageBus bus, @Reference EdgeStore store, MetaConfig config) {
        try {
            this.processor = new MetaProcessor(bus, store, MetaSettings.of(config));
        } catch (IllegalArgumentException | StoreException e) {
            LOG.error("MetaManager does not start: {}", e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        processor.stop();
    }

    @Override
    public void receive(Message message) {
        processor.receive(message);
    }

    @Override
    public List<MetaEntry> list(String type) {
        return processor.list(type);
    }

    @Override
    public Optional<String> get(String key) {
        return processor.get(key);
    }

    @Override
    public MetaStats stats() {
        return processor.stats();
    }
}

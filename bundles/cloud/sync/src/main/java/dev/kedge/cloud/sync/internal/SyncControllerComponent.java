package dev.kedge.cloud.sync.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The {@code synccontroller} module: records CloudHub's ack records in ObjectSyncs, serves the ledger to
 * EdgeController, and resends what the edge missed. A configuration change restarts it (caches relist). Its
 * once-only work (CRDs, garbage collection) runs where {@link Leadership} says this replica leads.
 */
@Component(name = "dev.kedge.cloud.sync", service = {Module.class, ObjectSyncLedger.class, SyncDiagnostics.class},
        property = {Module.NAME + "=" + ModuleNames.SYNCCONTROLLER, Module.GROUP + "=" + ModuleNames.SYNCCONTROLLER})
@Designate(ocd = SyncControllerConfig.class)
public final class SyncControllerComponent implements Module, ObjectSyncLedger, SyncDiagnostics {
    private final SyncController controller;
    private final Leadership leadership;
    private final Leadership.Listener listener;

    @Activate
    public SyncControllerComponent(@Reference MessageBus bus,
            @Reference(target = KubeClients.DEFAULT_FILTER) KubernetesClient client, @Reference Leadership leadership,
            SyncControllerConfig config) {
        this.leadership = leadership;
        controller = new SyncController(client, bus, config, leadership::isLeader, true);
        listener = controller::leadershipChanged;
        leadership.addListener(listener);
        controller.start();
    }

    @Deactivate
    void deactivate() {
        leadership.removeListener(listener);
        controller.close();
    }

    @Override
    public void receive(Message message) {
        controller.receive(message);
    }

    @Override
    public String ackedVersion(String node, String objectUid) {
        return controller.ackedVersion(node, objectUid);
    }

    @Override
    public boolean awaitSynced(Duration timeout) {
        return controller.awaitSynced(timeout);
    }

    @Override
    public Map<String, Long> counters() {
        return controller.counters();
    }

    @Override
    public List<ObjectSyncRow> objects(String node) {
        return controller.objects(node);
    }
}

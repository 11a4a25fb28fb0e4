package dev.kedge.cloud.controller.internal;

import java.util.List;
import java.util.Map;

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

import dev.kedge.cloud.controller.EdgeController;
import dev.kedge.cloud.controller.EdgeNodeInfo;
import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * EdgeController: sends edge nodes their pods, configmaps and secrets through CloudHub, and writes what edges report
 * (node registration and status, leases, pod status and deletion) to the API server. Uses the shared client; with
 * an ObjectSync ledger it skips what a node already acked, so a restart does not resend everything.
 */
@Component(name = "dev.kedge.cloud.controller", service = {Module.class, EdgeController.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.EDGECONTROLLER, Module.GROUP + "=" + ModuleNames.EDGECONTROLLER})
@Designate(ocd = EdgeControllerConfig.class)
public final class EdgeControllerComponent implements Module, EdgeController {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeControllerComponent.class);

    // field injection, not the constructor: DS binds references (the ledger too, when present) before activate,
    // so the first sends after a restart already consult the ledger
    @Reference
    private MessageBus bus;
    @Reference(target = KubeClients.DEFAULT_FILTER)
    private KubernetesClient kube;
    private volatile ObjectSyncLedger ledger;
    private Controller controller;

    @Activate
    void activate(EdgeControllerConfig config) {
        controller = new Controller(kube, bus, () -> ledger, Settings.from(config));
        controller.start();
        LOG.info("EdgeController started (ObjectSync ledger {})", ledger == null ? "absent" : "present");
    }

    // optional: without the SyncController everything is sent after a restart, as KubeEdge without ObjectSync
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLedger(ObjectSyncLedger l) {
        ledger = l;
        LOG.info("ObjectSync ledger bound: what edge nodes acked is no longer resent");
    }

    void unbindLedger(ObjectSyncLedger l) {
        if (ledger == l) {
            ledger = null;
            LOG.info("ObjectSync ledger gone: sending without it");
        }
    }

    @Deactivate
    void deactivate() {
        controller.close();
    }

    @Override
    public void receive(Message message) {
        controller.receive(message);
    }

    @Override
    public List<EdgeNodeInfo> nodes() {
        return controller.nodes();
    }

    @Override
    public Map<String, Long> counters() {
        return controller.counters();
    }
}

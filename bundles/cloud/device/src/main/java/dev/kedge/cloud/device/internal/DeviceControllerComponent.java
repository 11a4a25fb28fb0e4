package dev.kedge.cloud.device.internal;

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

import dev.kedge.cloud.device.DeviceController;
import dev.kedge.cloud.device.DeviceInfo;
import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * DeviceController: installs the device CRDs, sends edge nodes their device membership, Device and DeviceModel
 * objects and desired twins through CloudHub, and writes what DeviceTwin reports into Device (and DeviceStatus)
 * status. With an ObjectSync ledger it skips objects a node already acked, so a restart does not resend everything.
 */
@Component(name = "dev.kedge.cloud.device", service = {Module.class, DeviceController.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.DEVICECONTROLLER, Module.GROUP + "=" + ModuleNames.DEVICECONTROLLER})
@Designate(ocd = DeviceControllerConfig.class)
public final class DeviceControllerComponent implements Module, DeviceController {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceControllerComponent.class);

    // field injection: DS binds the references (the ledger too, when present) before activate
    @Reference
    private MessageBus bus;
    @Reference(target = KubeClients.DEFAULT_FILTER)
    private KubernetesClient kube;
    private volatile ObjectSyncLedger ledger;
    private Controller controller;

    @Activate
    void activate(DeviceControllerConfig config) {
        controller = new Controller(kube, bus, () -> ledger, Settings.of(config));
        controller.start();
        LOG.info("DeviceController started (ObjectSync ledger {})", ledger == null ? "absent" : "present");
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLedger(ObjectSyncLedger l) {
        ledger = l;
    }

    void unbindLedger(ObjectSyncLedger l) {
        if (ledger == l) {
            ledger = null;
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
    public List<DeviceInfo> devices() {
        return controller.devices();
    }

    @Override
    public Map<String, Long> counters() {
        return controller.counters();
    }
}

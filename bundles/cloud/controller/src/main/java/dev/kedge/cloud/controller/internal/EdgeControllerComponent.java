package dev.kedge.cloud.controller.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * EdgeController: sends edge nodes their pods, configmaps and secrets through CloudHub (downstream informers), and
 * writes what edges report (node registration and status, leases, pod status and deletion) to the API server
 * (upstream requests). Uses the shared client; with an ObjectSync ledger it skips what a node already acked, so a
 * restart does not resend everything. An invalid configuration keeps it inactive (an ERROR names the attribute).
 */
@Component(name = EdgeControllerComponent.PID, service = {Module.class, EdgeController.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.EDGECONTROLLER, Module.GROUP + "=" + ModuleNames.EDGECONTROLLER})
@Designate(ocd = EdgeControllerConfig.class)
public final class EdgeControllerComponent implements Module, EdgeController, AutoCloseable {
    public static final String PID = "dev.kedge.cloud.controller";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeControllerComponent.class);

    private final NamedCounters counters = new NamedCounters();
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final Downstream downstream;
    private final Upstream upstream;
    private volatile ObjectSyncLedger ledger;

    /** Builds, does not start: DS binds the ledger (when present) next, so the first sends already consult it. */
    @Activate
    public EdgeControllerComponent(@Reference(name = "bus") MessageBus bus,
            @Reference(name = "kube", target = KubeClients.DEFAULT_FILTER) KubernetesClient kube,
            EdgeControllerConfig config) {
        Settings settings;
        try {
            settings = Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration {}: {}; EdgeController does not start", PID, e.getMessage());
            throw e;
        }
        this.downstream = new Downstream(kube, bus, () -> ledger, settings, counters);
        this.upstream = new Upstream(kube, bus, settings, counters, downstream.references()::referencedBy,
                downstream::cachedPodsOn, downstream::cachedEdgeNode, downstream::resendEverything);
    }

    @Activate
    void start() {
        downstream.start();
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

    boolean started() {
        return downstream.started();
    }

    @Deactivate
    @Override
    public void close() {
        downstream.close();
        upstream.close();
    }

    /** A message from CloudHub: a link event, or an edge request ({@code node/<node>/<ns>/<type>/<name>}). */
    @Override
    public void receive(Message m) {
        if (m.isResponse()) {
            counters.increment("upstream.ignoredResponses");
            return;
        }
        if (Operations.CONNECTED.equals(m.operation()) || Operations.DISCONNECTED.equals(m.operation())) {
            linkEvent(m);
            return;
        }
        Resource r;
        try {
            r = Resource.parseCloud(m.resource());
        } catch (IllegalArgumentException e) {
            counters.increment("upstream.malformed");
            LOG.error("upstream {} {} dropped: {}", m.operation(), m.resource(), e.getMessage());
            return;
        }
        upstream.submit(m, r);
    }

    private void linkEvent(Message m) {
        String resource = m.resource() == null ? "" : m.resource();
        String[] parts = resource.split("/");
        if (parts.length < 2 || !Resource.NODE_PREFIX.equals(parts[0]) || parts[1].isEmpty()) {
            counters.increment("upstream.malformed");
            LOG.error("{} event without a node in '{}'", m.operation(), resource);
            return;
        }
        boolean up = Operations.CONNECTED.equals(m.operation());
        if (up ? connected.add(parts[1]) : connected.remove(parts[1])) {
            LOG.info("edge node {} {}", parts[1], m.operation());
        }
        downstream.linked(parts[1], up);
        counters.increment("link." + m.operation());
    }

    @Override
    public List<EdgeNodeInfo> nodes() {
        return downstream.nodes(Set.copyOf(connected));
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }
}

package dev.kedge.cloud.controller.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.controller.EdgeNodeInfo;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The EdgeController without OSGi: downstream informers, upstream requests, the set of connected nodes. */
final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    private final NamedCounters counters = new NamedCounters();
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final Downstream downstream;
    private final Upstream upstream;

    Controller(KubernetesClient client, MessageBus bus, Supplier<ObjectSyncLedger> ledger, Settings settings) {
        this.downstream = new Downstream(client, bus, ledger, settings, counters);
        this.upstream = new Upstream(client, bus, settings, counters, downstream.references()::referencedBy,
                downstream::resendEverything);
    }

    void start() {
        downstream.start();
    }

    boolean started() {
        return downstream.started();
    }

    @Override
    public void close() {
        downstream.close();
        upstream.close();
    }

    /** A message from CloudHub: a link event, or an edge request ({@code node/<node>/<ns>/<type>/<name>}). */
    void receive(Message m) {
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

    List<EdgeNodeInfo> nodes() {
        return downstream.nodes(Set.copyOf(connected));
    }

    Map<String, Long> counters() {
        return counters.snapshot();
    }
}

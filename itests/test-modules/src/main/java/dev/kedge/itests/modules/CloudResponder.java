package dev.kedge.itests.modules;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;

/**
 * Cloud stand-in for EdgeController: answers upstream configmap queries, counts node link events, and drives
 * downstream configmap inserts/updates through CloudHub. Read by console threads, written by the bus thread and
 * console threads: atomics and concurrent maps only.
 */
@Component(name = CloudResponder.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Module.class, CloudResponder.class},
        property = {Module.NAME + "=" + ModuleNames.EDGECONTROLLER, Module.GROUP + "=" + ModuleNames.EDGECONTROLLER})
public final class CloudResponder implements Module {
    public static final String PID = "dev.kedge.itests.cloudresponder";
    private static final Logger LOG = LoggerFactory.getLogger(CloudResponder.class);

    private final MessageBus bus;
    private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicateIds = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong connectedEvents = new AtomicLong();
    private final AtomicLong disconnectedEvents = new AtomicLong();
    /** resourceVersion source for cloud-down: global, so every write of any object is newer than all before it. */
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong lastVersion = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailed = new AtomicLong();
    /** Last version sent per cloud resource (node/<node>/default/configmap/cm-<j>). */
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    @Activate
    public CloudResponder(@Reference MessageBus bus) {
        this.bus = bus;
    }

    @Override
    public void receive(Message m) {
        switch (m.operation()) {
            case Operations.CONNECTED -> connectedEvents.incrementAndGet();
            case Operations.DISCONNECTED -> disconnectedEvents.incrementAndGet();
            case Operations.QUERY -> answer(m);
            default -> LOG.debug("ignoring {} {} {}", m.operation(), m.resource(), m.id());
        }
    }

    private void answer(Message m) {
        received.incrementAndGet();
        if (!seenIds.add(m.id())) {
            duplicateIds.incrementAndGet(); // the edge retried the same query: answer again, the first may be lost
        }
        Resource r;
        try {
            r = Resource.parseCloud(m.resource());
        } catch (IllegalArgumentException e) {
            LOG.warn("query {} has no node resource: {}", m.id(), m.resource());
            return;
        }
        // the answer keeps node/<node>/... (responseTo copies the resource): that is how CloudHub finds the node
        try {
            bus.send(ModuleNames.CLOUDHUB, Message.responseTo(m, ConfigMaps.configMap(r.namespace(), r.name(), 1)));
            answered.incrementAndGet();
        } catch (BusException e) {
            LOG.warn("could not answer query {}: {}", m.id(), e.getMessage());
        }
    }

    /**
     * Sends {@code updates} rounds over {@code objects} configmaps cm-0..cm-(objects-1): round 1 inserts, later rounds
     * update. Rounds are the outer loop so objects interleave and every object is inserted before any is updated.
     */
    public DownstreamRun downstream(String node, int objects, int updates) {
        return downstream(node, objects, updates, 0);
    }

    /** As {@link #downstream(String, int, int)}, paced to {@code rate} messages per second (0 = unpaced). */
    public DownstreamRun downstream(String node, int objects, int updates, int rate) {
        long start = System.nanoTime();
        long periodNanos = rate > 0 ? 1_000_000_000L / rate : 0;
        long next = start;
        int ok = 0, failed = 0;
        for (int u = 1; u <= updates && !Thread.currentThread().isInterrupted(); u++) {
            for (int j = 0; j < objects; j++) {
                String name = "cm-" + j;
                String resource = Resource.cloud(node, "default", "configmap", name);
                long rv = version.incrementAndGet();
                Message m = Message.create(ModuleNames.EDGECONTROLLER, ModuleNames.ROUTE_RESOURCE,
                        u == 1 ? Operations.INSERT : Operations.UPDATE, resource,
                        ConfigMaps.configMap("default", name, rv)).withResourceVersion(Long.toString(rv));
                if (periodNanos > 0) {
                    next += periodNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                try {
                    bus.send(ModuleNames.CLOUDHUB, m);
                    lastSent.merge(resource, rv, Math::max);
                    lastVersion.accumulateAndGet(rv, Math::max);
                    ok++;
                } catch (BusException e) {
                    failed++; // not recorded as sent: the edge is not expected to reach this version
                    LOG.warn("could not send {} v{}: {}", resource, rv, e.getMessage());
                }
            }
        }
        sent.addAndGet(ok);
        sendFailed.addAndGet(failed);
        return new DownstreamRun(ok, failed, (System.nanoTime() - start) / 1_000_000);
    }

    /** The result of one {@code itest:cloud-down} run. */
    public record DownstreamRun(int sent, int failed, long ms) {
        public String summary() {
            return "CLOUD-DOWN sent=" + sent + " failed=" + failed + " ms=" + ms;
        }
    }

    /** Stats; with a node, keys and sumFinalVersions cover only that node's objects. */
    public String stats(String node) {
        String prefix = node == null || node.isEmpty() ? "" : Resource.prefixNode(node, "");
        long sum = 0;
        int keys = 0;
        for (Map.Entry<String, Long> e : lastSent.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue();
                keys++;
            }
        }
        return "CLOUD received=" + received.get() + " duplicateIds=" + duplicateIds.get() + " answered="
                + answered.get() + " connectedEvents=" + connectedEvents.get() + " disconnectedEvents="
                + disconnectedEvents.get() + " lastVersion=" + lastVersion.get() + " sumFinalVersions=" + sum
                + " keys=" + keys + " sent=" + sent.get() + " sendFailed=" + sendFailed.get();
    }

    /**
     * Forgets counters and sent keys. The version source keeps going: versions must only grow, or CloudHub and the
     * edge would (rightly) ignore the next run as stale.
     */
    public void reset() {
        seenIds.clear();
        lastSent.clear();
        for (AtomicLong c : new AtomicLong[] {received, duplicateIds, answered, connectedEvents, disconnectedEvents,
            lastVersion, sent, sendFailed}) {
            c.set(0);
        }
    }
}

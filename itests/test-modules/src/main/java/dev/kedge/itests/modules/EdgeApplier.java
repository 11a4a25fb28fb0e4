package dev.kedge.itests.modules;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * Edge stand-in for MetaManager (group {@code meta}): "applies" cloud insert/update/delete messages, keeping the
 * highest resourceVersion per key, and acks each one like MetaManager does. Also drives upstream sync queries.
 * Counters are read by console threads while the bus thread writes them, hence atomics and concurrent maps.
 */
@Component(name = EdgeApplier.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Module.class, EdgeApplier.class},
        property = {Module.NAME + "=" + EdgeApplier.NAME, Module.GROUP + "=" + ModuleNames.GROUP_META})
@Designate(ocd = EdgeApplierConfig.class)
public final class EdgeApplier implements Module {
    public static final String PID = "dev.kedge.itests.edgeapplier";
    public static final String NAME = "itest-meta";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeApplier.class);
    private static final Set<String> WRITES = Set.of(Operations.INSERT, Operations.UPDATE, Operations.DELETE);

    private final MessageBus bus;
    private volatile long ackDelayMs;
    /** Applied resourceVersion per key (the message resource, e.g. default/configmap/cm-0). */
    private final ConcurrentHashMap<String, Long> versions = new ConcurrentHashMap<>();
    private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicateIds = new AtomicLong();
    private final AtomicLong staleIgnored = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong ackFailed = new AtomicLong();
    private volatile UpstreamRun lastUp = UpstreamRun.NONE;

    @Activate
    public EdgeApplier(@Reference MessageBus bus, EdgeApplierConfig config) {
        this(bus, config.ackDelayMs());
    }

    EdgeApplier(MessageBus bus, long ackDelayMs) {
        this.bus = bus;
        this.ackDelayMs = ackDelayMs;
    }

    @Modified
    void modified(EdgeApplierConfig config) {
        ackDelayMs = config.ackDelayMs();
    }

    @Override
    public void receive(Message m) {
        if (!WRITES.contains(m.operation()) || m.isResponse()) {
            return; // link-state broadcasts, answers etc.: MetaManager's other duties, not simulated here
        }
        received.incrementAndGet();
        if (!seenIds.add(m.id())) {
            duplicateIds.incrementAndGet(); // a resend: CloudHub did not see our earlier ack in time
        }
        apply(m);
        if (!UpstreamRun.pause(ackDelayMs)) {
            return; // interrupted: the bus is stopping us; no ack, as if the commit never finished
        }
        try {
            bus.send(ModuleNames.EDGEHUB, Message.responseTo(m, Operations.OK));
            acked.incrementAndGet();
        } catch (BusException e) {
            ackFailed.incrementAndGet();
            LOG.warn("could not ack {}: {}", m.id(), e.getMessage());
        }
    }

    /** Stale and duplicate messages are still acked (MetaManager acks whatever it received), just not applied. */
    private void apply(Message m) {
        long rv = resourceVersion(m);
        String key = m.resource();
        if (Operations.DELETE.equals(m.operation())) {
            Long cur = versions.get(key);
            if (rv >= 0 && cur != null && rv <= cur) {
                staleIgnored.incrementAndGet();
            } else {
                versions.remove(key);
                applied.incrementAndGet();
            }
            return;
        }
        boolean[] fresh = {false};
        versions.compute(key, (k, cur) -> {
            if (cur != null && rv >= 0 && rv <= cur) {
                return cur;
            }
            fresh[0] = true;
            return Math.max(rv, cur == null ? 0 : cur); // an unversioned write is applied, keeping what we had
        });
        (fresh[0] ? applied : staleIgnored).incrementAndGet();
    }

    /** The header's resourceversion, else the content's metadata.resourceVersion; -1 if neither is a number. */
    static long resourceVersion(Message m) {
        String rv = m.header().resourceVersion();
        if (rv.isEmpty()) {
            try {
                rv = ConfigMaps.resourceVersion(MessageCodec.contentTree(m));
            } catch (RuntimeException e) {
                rv = "";
            }
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public UpstreamRun upstream(int count, Duration timeout, int retries, long retryDelayMs, long intervalMs) {
        UpstreamRun run = UpstreamRun.run(bus, count, timeout, retries, retryDelayMs, intervalMs);
        lastUp = run;
        return run;
    }

    public String stats() {
        UpstreamRun up = lastUp;
        long sum = 0;
        for (long v : versions.values()) {
            sum += v;
        }
        return "EDGE received=" + received.get() + " applied=" + applied.get() + " duplicateIds=" + duplicateIds.get()
                + " staleIgnored=" + staleIgnored.get() + " keys=" + versions.size() + " up.answered=" + up.answered()
                + " up.failed=" + up.failed() + " up.retried=" + up.retried() + " sumFinalVersions=" + sum
                + " acked=" + acked.get() + " ackFailed=" + ackFailed.get();
    }

    /** Forgets everything, for a test that runs several scenarios against one distribution. */
    public void reset() {
        versions.clear();
        seenIds.clear();
        for (AtomicLong c : new AtomicLong[] {received, applied, duplicateIds, staleIgnored, acked, ackFailed}) {
            c.set(0);
        }
        lastUp = UpstreamRun.NONE;
    }
}

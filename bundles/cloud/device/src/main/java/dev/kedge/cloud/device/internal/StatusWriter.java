package dev.kedge.cloud.device.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.NamedCounters;
import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Edge → cloud: reported twins and state into the Device's status ({@code status.twins[].reported/observedDesired},
 * {@code state}, {@code lastOnlineTime}; JSON merge patches carrying the resourceVersion, re-read and retried on
 * conflict) and, when the v1.23 CRD is served, into the DeviceStatus of the same name (created when missing, owned by
 * the Device). Reports for one device coalesce while waiting (latest value per property wins); at most
 * {@code maxPendingReports} devices wait. {@code statusWorkers} writer threads (KubeEdge's updateDeviceStatusWorkers),
 * never two on the same device; the edge gets KubeEdge's "OK" after the write.
 */
final class StatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    private static final int MAX_CONFIRMS = 64;
    /** Queue token prefix of DeviceStatus copies ("|" never occurs in namespace or name). */
    private static final String STATUS_TOKEN = "status|";

    /** Reports for one device not yet written. */
    private static final class Pending {
        final Map<String, EdgeReport.Twin> twins = new LinkedHashMap<>();
        final List<Message> confirms = new ArrayList<>();
        final long firstNanos = System.nanoTime();
        String node;
        String state = "";
        String lastOnlineTime = "";
    }

    /** The latest status for a device's DeviceStatus object, waiting for a writer. */
    private record StatusCopy(DeviceSpec spec, ObjectNode status) {
    }

    /** What we last wrote (or read) of a Device's status, with its resourceVersion. */
    private record Written(Map<String, ObjectNode> twins, String resourceVersion) {
    }

    /** For the shell: the device's last reported state and twin count, and when it reported. */
    record ReportInfo(String state, int reportedTwins, long lastReportMillis) {
    }

    private final KubernetesClient client;
    private final MessageBus bus;
    private final Settings settings;
    private final NamedCounters counters;
    private final Function<String, DeviceSpec> devices;
    private final Supplier<DeviceCrds.Served> served;
    private final Map<String, Pending> pending = new HashMap<>(); // guarded by this
    private final Map<String, StatusCopy> statusPending = new HashMap<>(); // guarded by this
    /** Devices a writer is working on; their new reports wait in pending until it is done. Guarded by this. */
    private final Set<String> inFlight = new HashSet<>();
    private final BlockingQueue<String> ready;
    /** Per device, touched only by the writer holding it in flight. */
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private final Map<String, ReportInfo> infos = new ConcurrentHashMap<>();
    private final Latencies latencies = new Latencies(4096);
    private final Latencies devicePatches = new Latencies(1024);
    private final Latencies statusPatches = new Latencies(1024);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    StatusWriter(KubernetesClient client, MessageBus bus, Settings settings, NamedCounters counters,
            Function<String, DeviceSpec> devices, Supplier<DeviceCrds.Served> served) {
        this.client = client;
        this.bus = bus;
        this.settings = settings;
        this.counters = counters;
        this.devices = devices;
        this.served = served;
        // one entry per waiting device and one per waiting DeviceStatus copy
        this.ready = new ArrayBlockingQueue<>(2 * settings.maxPendingReports());
    }

    synchronized void start() {
        running = true;
        ThreadFactory threads = DaemonThreads.factory("devicecontroller-status");
        for (int i = 0; i < settings.statusWorkers(); i++) {
            Thread t = threads.newThread(this::run);
            writers.add(t);
            t.start();
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        writers.forEach(Thread::interrupt);
        for (Thread t : writers) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    ReportInfo info(String key) {
        return infos.get(key);
    }

    Map<String, Long> latencies() {
        Map<String, Long> all = new TreeMap<>(latencies.snapshot("report.latency"));
        all.putAll(devicePatches.snapshot("api.devicePatch"));
        all.putAll(statusPatches.snapshot("api.deviceStatusPatch"));
        return all;
    }

    /** Queues a report (merged into one waiting for the same device); false when too many devices wait. */
    synchronized boolean submit(EdgeReport r, Message m) {
        Pending existing = pending.get(r.key());
        if (existing == null) {
            // a device in flight is queued again when its writer is done
            if (pending.size() >= settings.maxPendingReports()
                    || (!inFlight.contains(r.key()) && !ready.offer(r.key()))) {
                counters.increment("upstream.reportsRejected");
                return false;
            }
            pending.put(r.key(), new Pending());
        } else {
            counters.increment("upstream.reportsCoalesced");
        }
        Pending p = pending.get(r.key());
        p.node = r.node();
        r.twins().forEach((prop, t) -> p.twins.merge(prop, t, (old, now) -> new EdgeReport.Twin(
                now.reported() != null ? now.reported() : old.reported(),
                now.observedDesired() != null ? now.observedDesired() : old.observedDesired())));
        if (!r.state().isEmpty()) {
            p.state = r.state();
        }
        if (!r.lastOnlineTime().isEmpty()) {
            p.lastOnlineTime = r.lastOnlineTime();
        }
        if (p.confirms.size() < MAX_CONFIRMS) {
            p.confirms.add(m);
        }
        return true;
    }

    private void run() {
        while (running) {
            String token;
            try {
                token = ready.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (token == null) {
                continue;
            }
            Object work;
            synchronized (this) {
                work = token.startsWith(STATUS_TOKEN) ? statusPending.remove(token) : pending.remove(token);
                if (work == null) {
                    continue;
                }
                inFlight.add(token);
            }
            try {
                if (work instanceof Pending p) {
                    if (write(token, p)) {
                        latencies.record((System.nanoTime() - p.firstNanos) / 1000);
                        for (Message m : p.confirms) {
                            confirm(p.node, m);
                        }
                    }
                } else if (work instanceof StatusCopy c) {
                    writeDeviceStatus(c.spec(), c.status());
                }
            } catch (RuntimeException e) {
                counters.increment("status.errors");
                LOG.error("status write {} failed", token, e);
            } finally {
                synchronized (this) {
                    inFlight.remove(token);
                    boolean again = token.startsWith(STATUS_TOKEN) ? statusPending.containsKey(token)
                            : pending.containsKey(token);
                    if (again && !ready.offer(token)) {
                        // cannot happen: ready holds at most one entry per waiting device and copy
                        pending.remove(token);
                        statusPending.remove(token);
                    }
                }
            }
        }
    }

    /**
     * The DeviceStatus copy goes as its own work item, so another writer does it while this one takes the device's
     * next report: the Device status (what users and KubeEdge before v1.23 read) is not held up by the second call.
     */
    private synchronized void queueDeviceStatus(DeviceSpec spec, ObjectNode status) {
        String token = STATUS_TOKEN + spec.key();
        if (statusPending.put(token, new StatusCopy(spec, status)) == null && !inFlight.contains(token)
                && !ready.offer(token)) {
            statusPending.remove(token);
            counters.increment("status.deviceStatusDropped");
        }
    }

    private boolean write(String key, Pending p) {
        DeviceSpec spec = devices.apply(key);
        DeviceCrds.Served crds = served.get();
        if (spec == null || crds == null) {
            counters.increment("upstream.unknownDevice");
            LOG.warn("report for Device {} dropped: no such device", key);
            return false;
        }
        Resource<GenericKubernetesResource> device = client.genericKubernetesResources(DeviceKinds.DEVICE)
                .inNamespace(spec.namespace()).withName(spec.name());
        for (int attempt = 1; attempt <= settings.conflictRetries(); attempt++) {
            Written w = written.get(key);
            if (w == null) {
                GenericKubernetesResource current = device.get();
                if (current == null) {
                    written.remove(key);
                    counters.increment("upstream.unknownDevice");
                    return false;
                }
                w = read(current);
            }
            Map<String, ObjectNode> twins = merge(w.twins(), p.twins, spec);
            ObjectNode status = status(twins, p);
            ObjectNode body = Frames.JSON.createObjectNode();
            body.putObject("metadata").put("resourceVersion", w.resourceVersion());
            body.set("status", status);
            try {
                var target = crds.deviceStatusSubresource() ? device.status() : device;
                long t0 = System.nanoTime();
                GenericKubernetesResource after = target.patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
                devicePatches.record((System.nanoTime() - t0) / 1000);
                written.put(key, new Written(twins, after.getMetadata().getResourceVersion()));
                counters.increment("status.deviceWrites");
                if (crds.deviceStatusKind()) {
                    queueDeviceStatus(spec, status);
                }
                infos.put(key, new ReportInfo(status.path("state").asText(infoState(key)), twins.size(),
                        System.currentTimeMillis()));
                return true;
            } catch (KubernetesClientException e) {
                written.remove(key);
                if (e.getCode() == 409) {
                    counters.increment("status.conflicts");
                    continue;
                }
                if (e.getCode() == 404) {
                    counters.increment("upstream.unknownDevice");
                    return false;
                }
                counters.increment("status.errors");
                LOG.error("status of Device {} not written: {}", key, e.getMessage());
                return false;
            }
        }
        counters.increment("status.conflictsExhausted");
        LOG.error("status of Device {} not written: still conflicting after {} attempts", key,
                settings.conflictRetries());
        return false;
    }

    private String infoState(String key) {
        ReportInfo i = infos.get(key);
        return i == null ? "" : i.state();
    }

    /** v1.23: the DeviceStatus object, created (owned by the Device) when missing. */
    private void writeDeviceStatus(DeviceSpec spec, ObjectNode status) {
        var ds = client.genericKubernetesResources(DeviceKinds.STATUS).inNamespace(spec.namespace())
                .withName(spec.name());
        ObjectNode body = Frames.JSON.createObjectNode();
        body.set("status", status);
        try {
            long t0 = System.nanoTime();
            ds.patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
            statusPatches.record((System.nanoTime() - t0) / 1000);
            counters.increment("status.deviceStatusWrites");
            return;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                counters.increment("status.errors");
                LOG.error("DeviceStatus {} not written: {}", spec.key(), e.getMessage());
                return;
            }
        }
        ObjectNode obj = Frames.JSON.createObjectNode().put("apiVersion", DeviceKinds.API_VERSION)
                .put("kind", DeviceKinds.STATUS.getKind());
        ObjectNode meta = obj.putObject("metadata").put("name", spec.name()).put("namespace", spec.namespace());
        meta.putArray("ownerReferences").addObject().put("apiVersion", DeviceKinds.API_VERSION)
                .put("kind", DeviceKinds.DEVICE.getKind()).put("name", spec.name()).put("uid", spec.uid())
                .put("controller", true).put("blockOwnerDeletion", true);
        obj.set("status", status);
        try {
            client.genericKubernetesResources(DeviceKinds.STATUS).inNamespace(spec.namespace())
                    .resource(client.getKubernetesSerialization().convertValue(obj, GenericKubernetesResource.class))
                    .create();
            counters.increment("status.deviceStatusCreated");
        } catch (KubernetesClientException e) {
            counters.increment("status.errors");
            LOG.error("DeviceStatus {} not created: {}", spec.key(), e.getMessage());
        }
    }

    private static Written read(GenericKubernetesResource device) {
        JsonNode status = Frames.JSON.valueToTree(device.getAdditionalProperties()).path("status");
        Map<String, ObjectNode> twins = new LinkedHashMap<>();
        status.path("twins").forEach(t -> {
            if (t.isObject() && !t.path("propertyName").asText("").isEmpty()) {
                twins.put(t.path("propertyName").asText(), (ObjectNode) t);
            }
        });
        return new Written(twins, device.getMetadata().getResourceVersion());
    }

    /** Current twins with the reported ones applied; only properties the Device defines (as KubeEdge). */
    private Map<String, ObjectNode> merge(Map<String, ObjectNode> current, Map<String, EdgeReport.Twin> reported,
            DeviceSpec spec) {
        Map<String, ObjectNode> twins = new LinkedHashMap<>();
        current.forEach((k, v) -> twins.put(k, v.deepCopy()));
        reported.forEach((prop, t) -> {
            if (!spec.properties().contains(prop)) {
                counters.increment("upstream.undefinedProperty");
                return;
            }
            ObjectNode twin = twins.computeIfAbsent(prop, p -> Frames.JSON.createObjectNode().put("propertyName", p));
            if (t.reported() != null) {
                twin.set("reported", value(t.reported()));
            }
            if (t.observedDesired() != null) {
                twin.set("observedDesired", value(t.observedDesired()));
            }
        });
        return twins;
    }

    private static ObjectNode value(EdgeReport.Value v) {
        ObjectNode o = Frames.JSON.createObjectNode().put("value", v.value());
        ObjectNode md = o.putObject("metadata");
        if (!v.timestamp().isEmpty()) {
            md.put("timestamp", v.timestamp());
        }
        if (!v.type().isEmpty()) {
            md.put("type", v.type());
        }
        return o;
    }

    private static ObjectNode status(Map<String, ObjectNode> twins, Pending p) {
        ObjectNode status = Frames.JSON.createObjectNode();
        ArrayNode list = status.putArray("twins");
        twins.values().forEach(list::add);
        if (!p.state.isEmpty()) {
            status.put("state", p.state);
        }
        if (!p.lastOnlineTime.isEmpty()) {
            status.put("lastOnlineTime", p.lastOnlineTime);
        }
        return status;
    }

    private void confirm(String node, Message report) {
        try {
            bus.send(ModuleNames.CLOUDHUB, Frames.confirm(node, report));
        } catch (BusException e) {
            counters.increment("upstream.confirmFailed");
            LOG.debug("confirmation of {} to {} not sent: {}", report.id(), node, e.getMessage());
        }
    }
}

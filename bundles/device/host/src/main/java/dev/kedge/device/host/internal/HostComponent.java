package dev.kedge.device.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
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

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.ResourceTypes;
import dev.kedge.core.SharedScheduler;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.Driver;
import dev.kedge.device.host.DeviceHost;
import dev.kedge.device.host.DriverInfo;
import dev.kedge.device.host.HostedDevice;
import dev.kedge.edge.meta.MetaEntry;
import dev.kedge.edge.meta.MetaManager;
import dev.kedge.edge.twin.DeviceTwin;

/**
 * The device host. Every {@code syncInterval}, when MetaManager committed a Device or DeviceModel since the last look,
 * it compares MetaManager's Device objects (the ones the cloud sent this node) with the devices it runs: new ones get
 * a {@link DeviceRunner} ticking on the shared scheduler, changed ones a fresh runner, gone ones are stopped. Driver
 * services come and go at any time (feature:install, bundle:update, feature:uninstall): each bind or unbind rebinds
 * the devices of that protocol at once. Driver calls run on a small bounded pool of {@code poolSize} daemon threads;
 * while devices run, a watchdog aborts a call stuck for twice the read timeout. A node without devices costs a counter read every {@code syncInterval}: no query, no watchdog tick.
 */
// immediate: nothing but a command asks for the host, and the devices must run from the start
@Component(name = HostComponent.PID, service = DeviceHost.class, immediate = true)
@Designate(ocd = HostConfig.class)
public final class HostComponent implements DeviceHost {
    public static final String PID = "dev.kedge.device.host";
    private static final Logger LOG = LoggerFactory.getLogger(HostComponent.class);
    static final String DEVICE = ResourceTypes.DEVICE;
    static final String DEVICE_MODEL = ResourceTypes.DEVICE_MODEL;

    private final MetaManager meta;
    private final SharedScheduler scheduler;
    private final HostContext ctx;
    private final Lane pool;
    private final Map<String, Running> devices = new ConcurrentHashMap<>();
    /** protocol → driver services, the longest-registered first */
    private final Map<String, List<DriverBinding>> drivers = new ConcurrentHashMap<>();
    /** devices whose object the host cannot use: the version read and why */
    private final Map<String, Bad> badDevices = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sync;
    private final long stuckNanos;
    private ScheduledFuture<?> watchdog; // while devices run; guarded by this
    private boolean stopped; // guarded by this
    // MetaManager's revisions at the last sync (sync task only): -1 lists at the first sync
    private long devicesSeen = -1;
    private long modelsSeen = -1;

    private record Running(DeviceRunner runner, Version version, ScheduledFuture<?> ticker) {
    }

    private record Bad(Version version, String reason) {
    }

    /** What a device was loaded from: its resourceVersion, and its model's key and resourceVersion. */
    private record Version(String deviceRv, String modelKey, String modelRv) {
        boolean current(String rv, Map<String, String> models) {
            return deviceRv.equals(rv) && modelRv.equals(models.getOrDefault(modelKey, ""));
        }
    }

    @Activate
    public HostComponent(@Reference MessageBus bus, @Reference MetaManager meta, @Reference DeviceTwin twin,
            @Reference SharedScheduler scheduler, HostConfig config) {
        this(bus, meta, twin, scheduler, HostSettings.of(config));
    }

    HostComponent(MessageBus bus, MetaManager meta, DeviceTwin twin, SharedScheduler scheduler, HostSettings s) {
        this.meta = meta;
        this.scheduler = scheduler;
        // a thread only when a read finds none idle: a fixed pool of poolSize kept them all alive, taking turns
        this.pool = DaemonThreads.onDemand("device-host", s.poolSize(), s.queueCapacity());
        this.ctx = new HostContext(s, pool, m -> bus.sendToGroup(ModuleNames.GROUP_TWIN, m), twin::twins,
                new HostCounters());
        this.sync = scheduler.scheduleWithFixedDelay("device host sync", this::syncDevices, Duration.ZERO,
                s.syncInterval());
        this.stuckNanos = 2 * s.readTimeout().toNanos();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDriver")
    void bindDriver(Driver driver, ServiceReference<Driver> ref) {
        Object protocol = ref.getProperty(Driver.PROTOCOL);
        if (protocol == null || protocol.toString().isBlank()) {
            LOG.error("driver service {} of {} has no {} property; ignored", ref.getProperty(Constants.SERVICE_ID),
                    bundleOf(ref), Driver.PROTOCOL);
            return;
        }
        addDriver(new DriverBinding(driver, protocol.toString().strip(), bundleOf(ref),
                (Long) ref.getProperty(Constants.SERVICE_ID)));
    }

    void unbindDriver(Driver driver, ServiceReference<Driver> ref) {
        Object protocol = ref.getProperty(Driver.PROTOCOL);
        if (protocol != null) {
            removeDriver(protocol.toString().strip(), (Long) ref.getProperty(Constants.SERVICE_ID));
        }
    }

    void addDriver(DriverBinding b) {
        List<DriverBinding> list = drivers.computeIfAbsent(b.protocol(), k -> new CopyOnWriteArrayList<>());
        list.add(b);
        list.sort(Comparator.comparingLong(DriverBinding::serviceId));
        LOG.info("driver for protocol '{}' available from {}", b.protocol(), b.bundle());
        rebind(b.protocol());
    }

    void removeDriver(String protocol, long serviceId) {
        List<DriverBinding> list = drivers.get(protocol);
        if (list != null) {
            list.stream().filter(b -> b.serviceId() == serviceId).findFirst().ifPresent(b -> {
                list.remove(b);
                LOG.info("driver for protocol '{}' from {} gone", protocol, b.bundle());
            });
            rebind(protocol);
        }
    }

    private DriverBinding driverFor(String protocol) {
        List<DriverBinding> list = drivers.get(protocol);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    private void rebind(String protocol) {
        DriverBinding b = driverFor(protocol);
        devices.values().stream().map(Running::runner).filter(r -> r.spec.protocol().equals(protocol))
                .forEach(r -> r.bind(b));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        sync.cancel(false);
        synchronized (this) {
            stopped = true;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        devices.values().forEach(this::stop);
        devices.clear();
        pool.shutdown();
        if (!pool.awaitTermination(ctx.settings().readTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }

    /** MetaManager's Device objects against the running devices: start, restart (changed spec), stop. */
    void syncDevices() {
        // read before the lists: a write committed while they run is seen at the next sync
        long devicesNow = meta.revision(DEVICE);
        long modelsNow = meta.revision(DEVICE_MODEL);
        if (devicesNow == devicesSeen && modelsNow == modelsSeen) {
            return;
        }
        Map<String, String> models = new HashMap<>();
        for (MetaEntry e : meta.list(DEVICE_MODEL)) {
            models.put(e.key(), e.resourceVersion());
        }
        Map<String, String> seen = new HashMap<>();
        for (MetaEntry e : meta.list(DEVICE)) {
            String[] parts = e.key().split("/", -1);
            if (parts.length != 3) {
                continue;
            }
            String id = parts[0] + "/" + parts[2];
            seen.put(id, e.key());
            Running now = devices.get(id);
            Bad bad = badDevices.get(id);
            Version known = now != null ? now.version() : bad != null ? bad.version() : null;
            if (known == null || !known.current(e.resourceVersion(), models)) {
                load(id, e, models, now);
            }
        }
        for (String id : new ArrayList<>(devices.keySet())) {
            if (!seen.containsKey(id)) {
                Running r = devices.remove(id);
                if (r != null) {
                    stop(r);
                    LOG.info("device {} gone from this node; stopped", id);
                }
            }
        }
        badDevices.keySet().removeIf(id -> !seen.containsKey(id));
        watchdogWhileDevices();
        devicesSeen = devicesNow; // only after a whole pass: a pass that threw is tried again
        modelsSeen = modelsNow;
    }

    private synchronized void watchdogWhileDevices() {
        if (devices.isEmpty() && watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        } else if (!devices.isEmpty() && watchdog == null && !stopped) {
            watchdog = scheduler.scheduleWithFixedDelay("device host watchdog", () -> devices.values()
                    .forEach(r -> r.runner().abortIfStuck(stuckNanos)), Duration.ofSeconds(1), Duration.ofSeconds(1));
        }
    }

    private void load(String id, MetaEntry e, Map<String, String> models, Running old) {
        Version version = new Version(e.resourceVersion(), "", "");
        try {
            JsonNode device = DeviceSpecs.tree(meta.get(e.key()).orElseThrow(
                    () -> new IllegalArgumentException("gone while reading")));
            String model = DeviceSpecs.modelName(device);
            String modelKey = model.isEmpty() ? "" : id.substring(0, id.indexOf('/')) + "/" + DEVICE_MODEL + "/"
                    + model;
            version = new Version(e.resourceVersion(), modelKey, models.getOrDefault(modelKey, ""));
            Map<String, String> types = model.isEmpty() ? Map.of()
                    : DeviceSpecs.modelTypes(meta.get(modelKey).orElse(null));
            DeviceSpec spec = DeviceSpecs.parse(device, types, ctx.settings());
            badDevices.remove(id);
            if (old != null && old.runner().spec.equals(spec)) {
                devices.put(id, new Running(old.runner(), version, old.ticker()));
                return;
            }
            if (old != null) {
                stop(old);
                LOG.info("device {} changed; restarting it", id);
            }
            start(spec, version);
        } catch (IllegalArgumentException bad) {
            ctx.counters().badDevices.increment();
            Bad before = badDevices.put(id, new Bad(version, "invalid Device: " + bad.getMessage()));
            if (before == null || !before.version().equals(version)) {
                LOG.error("device {} not driven: {}", id, bad.getMessage());
            }
            if (old != null) {
                devices.remove(id);
                stop(old);
            }
        }
    }

    private void start(DeviceSpec spec, Version version) {
        DeviceRunner r = new DeviceRunner(spec, ctx);
        r.bind(driverFor(spec.protocol()));
        long tick = spec.tickMs(ctx.settings().defaultCycleMs());
        ScheduledFuture<?> t = scheduler.scheduleWithFixedDelay("device " + spec.id(), r::tick, Duration.ZERO,
                Duration.ofMillis(Math.max(tick, ctx.settings().minCycleMs())));
        devices.put(spec.id(), new Running(r, version, t));
        LOG.info("device {} (protocol {}, {} properties) started", spec.id(), spec.protocol(),
                spec.properties().size());
    }

    private void stop(Running r) {
        r.ticker().cancel(false);
        r.runner().stop();
    }

    @Override
    public List<HostedDevice> devices() {
        List<HostedDevice> out = new ArrayList<>();
        devices.values().forEach(r -> out.add(r.runner().view()));
        badDevices.forEach((id, bad) -> out.add(new HostedDevice(id, "", "", "-", bad.reason(), 0, 0, 0)));
        out.sort(Comparator.comparing(HostedDevice::id));
        return out;
    }

    @Override
    public List<DriverInfo> drivers() {
        List<DriverInfo> out = new ArrayList<>();
        drivers.forEach((protocol, list) -> {
            for (DriverBinding b : list) {
                int n = (int) devices.values().stream().filter(r -> r.runner().binding() == b).count();
                out.add(new DriverInfo(protocol, b.bundle(), n));
            }
        });
        out.sort(Comparator.comparing(DriverInfo::protocol));
        return out;
    }

    @Override
    public ChannelRecord read(String device, String property) {
        DeviceRunner r = find(device);
        return r == null ? ChannelRecord.failure(property, "no device " + device + " at this node")
                : r.now(property, null);
    }

    @Override
    public ChannelRecord write(String device, String property, String value) {
        DeviceRunner r = find(device);
        return r == null ? ChannelRecord.failure(property, "no device " + device + " at this node")
                : r.now(property, value);
    }

    private DeviceRunner find(String device) {
        Running r = devices.get(device);
        if (r != null) {
            return r.runner();
        }
        List<Running> byName = devices.values().stream().filter(x -> x.runner().spec.id().endsWith("/" + device))
                .toList();
        return byName.size() == 1 ? byName.get(0).runner() : null;
    }

    HostCounters counters() {
        return ctx.counters();
    }

    private static String bundleOf(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? "unregistered" : b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]";
    }
}

package dev.kedge.edge.twin.internal;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.AckPolicy;
import dev.kedge.core.BusException;
import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.twin.DeviceSummary;
import dev.kedge.edge.twin.DeviceTwin;
import dev.kedge.edge.twin.TwinEntry;
import dev.kedge.edge.twin.TwinStats;

/**
 * DeviceTwin without OSGi ({@code process.go: classifyMsg}): MQTT messages from EventBus (source {@code bus}) go to
 * {@link MapperMessages}; membership and twin syncs from the cloud (source {@code devicecontroller}/{@code edgemgr})
 * and Device objects from MetaManager (source {@code meta}) to {@link CloudMessages}; EdgeHub's link events start
 * the outbox. {@link #receive} runs on the bus thread of module {@code twin}; it changes the cache, queues the write
 * and returns — results go out after the commit, on the publishing thread.
 */
public final class TwinProcessor implements DeviceTwin {
    private static final Logger LOG = LoggerFactory.getLogger(TwinProcessor.class);
    // EventBus and MetaManager send with their group as the source, as in KubeEdge
    static final String SOURCE_BUS = ModuleNames.GROUP_BUS;
    static final String SOURCE_META = ModuleNames.GROUP_META;
    static final String SOURCE_EDGEMGR = "edgemgr";
    private static final DateTimeFormatter LAST_ONLINE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    final EdgeStore store;
    final MessageBus bus;
    final TwinSettings settings;
    final TwinCounters counters = new TwinCounters();
    final DeviceCache cache = new DeviceCache();
    final TwinRows rows = new TwinRows();
    final Publisher publisher;
    final CloudOutbox outbox;
    final RateLog rateLog = new RateLog(LOG);
    private final Supplier<String> nodeName;
    private final MapperMessages mapper;
    private final CloudMessages cloud;
    private volatile boolean connected;

    public TwinProcessor(MessageBus bus, EdgeStore store, TwinSettings settings, Supplier<String> nodeName) {
        this.bus = bus;
        this.store = store;
        this.settings = settings;
        this.nodeName = nodeName;
        store.migrate(TwinSchema.OWNER, TwinSchema.STEPS);
        cache.replaceAll(store.read(TwinRows::loadAll));
        this.publisher = new Publisher(bus, counters, settings.publishQueueCapacity());
        this.outbox = new CloudOutbox(store, rows, publisher, () -> connected, settings, counters);
        this.mapper = new MapperMessages(this);
        this.cloud = new CloudMessages(this);
        LOG.info("DeviceTwin started with {} devices, {} reports waiting for the cloud", cache.size(),
                outbox.pending());
    }

    public void receive(Message m) {
        try {
            route(m);
        } catch (BadInput e) {
            bad(m, e.getMessage());
        }
    }

    private void route(Message m) {
        String source = m.source();
        if (CloudLink.SOURCE.equals(source) || CloudLink.isLinkState(m)) {
            linkState(m);
        } else if (SOURCE_BUS.equals(source)) {
            mapper.handle(m);
        } else if (ModuleNames.DEVICECONTROLLER.equals(source) || SOURCE_EDGEMGR.equals(source)) {
            cloud.fromController(m);
        } else if (SOURCE_META.equals(source) || ModuleNames.METAMANAGER.equals(source)) {
            cloud.deviceObject(m);
        } else {
            throw new BadInput("no DeviceTwin action for source '" + source + "'");
        }
    }

    private void linkState(Message m) {
        Object c = m.content();
        if (CloudLink.CONNECTED.equals(c)) {
            setConnected(true);
        } else if (CloudLink.DISCONNECTED.equals(c)) {
            setConnected(false);
        } else {
            throw new BadInput("unknown link event '" + m.contentAsString() + "' on " + m.resource());
        }
    }

    /** Also called with EdgeHub's state at start: a link that came up before DeviceTwin was announced to nobody. */
    public void setConnected(boolean now) {
        boolean was = connected;
        connected = now;
        if (now != was) {
            LOG.info("cloud link {}", now ? "up: sending the reports kept meanwhile" : "down: reports wait in SQLite");
        }
        if (now && !was) {
            publisher.submit(this::requestMembershipDetail);
        }
        if (now) {
            outbox.request();
        }
    }

    /**
     * KubeEdge's {@code detailRequest} after (re)connecting: the cloud answers with the node's whole membership
     * ({@code membership/detail}), which replaces what this node holds.
     */
    private void requestMembershipDetail() {
        ObjectNode c = Json.object();
        c.put("event_type", "group_membership_event");
        c.put("event_id", UUID.randomUUID().toString());
        c.put("operation", "detail");
        c.put("group_id", nodeName());
        c.put("timestamp", System.currentTimeMillis());
        try {
            bus.send(ModuleNames.EDGEHUB, Message.create(ModuleNames.TWIN, ModuleNames.ROUTE_RESOURCE, "get",
                    "membership/detail", Json.write(c)));
        } catch (BusException e) {
            LOG.warn("membership detail request not sent: {}", e.getMessage());
        }
    }

    boolean connected() {
        return connected;
    }

    String nodeName() {
        return nodeName.get();
    }

    void bad(Message m, String why) {
        counters.badMessages.increment();
        String topic = SOURCE_BUS.equals(m.source()) ? Topics.decode(m.resource()) : null; // name MQTT topics plainly
        rateLog.error("message " + m.id() + " (" + m.operation() + " " + abbreviate(topic == null ? m.resource() : topic)
                + " from "
                + m.source() + ") refused: " + why);
    }

    static String abbreviate(String s) {
        return s == null || s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    static String now() {
        return LocalDateTime.now().format(LAST_ONLINE);
    }

    /**
     * Queues {@code work}; after the commit runs {@code done} (with the error, or null) on the publishing thread. A
     * failed write re-reads {@code deviceId} so the cache matches what SQLite holds, as KubeEdge's
     * {@code SyncDeviceFromSqlite} does.
     */
    void commit(String what, String deviceId, SqlWork<Void> work, Consumer<Throwable> done) {
        CompletableFuture<Void> f;
        try {
            f = store.write(what, work);
        } catch (StoreException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, error) -> publisher.submit(() -> {
            if (error != null) {
                counters.failedWrites.increment();
                LOG.error("{} not stored: {}", what, error.getMessage());
                if (deviceId != null) {
                    reload(deviceId);
                }
            }
            done.accept(error);
        }));
    }

    private void reload(String deviceId) {
        try {
            DeviceRecord d = store.read(c -> TwinRows.load(c, deviceId));
            if (d == null) {
                cache.remove(deviceId);
            } else {
                cache.put(d);
            }
        } catch (StoreException e) {
            LOG.error("device {} could not be re-read after a failed write: {}", deviceId, e.getMessage());
        }
    }

    /** The ack CloudHub waits for, for the messages it queues for an ack ({@link AckPolicy}); after the commit. */
    void ackIfNeeded(Message m) {
        if (!AckPolicy.needsAck(m)) {
            return;
        }
        try {
            bus.send(ModuleNames.EDGEHUB, Message.responseTo(m, Operations.OK));
        } catch (BusException e) {
            LOG.error("ack of {} not sent: {}; the cloud will resend it", m.id(), e.getMessage());
        }
    }

    void periodic() {
        outbox.trim();
        outbox.request();
    }

    public void stop() throws InterruptedException {
        publisher.stop();
    }

    @Override
    public List<DeviceSummary> devices() {
        List<DeviceSummary> out = new ArrayList<>();
        synchronized (cache) {
            for (DeviceRecord d : cache.all()) {
                out.add(new DeviceSummary(d.id, d.name, d.state, d.lastOnline, d.liveTwins()));
            }
        }
        return out;
    }

    @Override
    public List<TwinEntry> twins(String device) {
        List<TwinEntry> out = new ArrayList<>();
        synchronized (cache) {
            DeviceRecord d = cache.find(device);
            if (d == null) {
                return out;
            }
            for (TwinRecord t : d.twins.values()) {
                out.add(new TwinEntry(t.name(), t.expected(), t.actual(),
                        t.expectedVersion() == null ? "" : t.expectedVersion().toText(),
                        t.actualVersion() == null ? "" : t.actualVersion().toText(), t.type(), t.optional()));
            }
        }
        return out;
    }

    @Override
    public TwinStats stats() {
        long twins = 0;
        List<DeviceRecord> all;
        synchronized (cache) {
            all = cache.all();
            for (DeviceRecord d : all) {
                twins += d.liveTwins();
            }
        }
        return new TwinStats(all.size(), twins, counters.twinUpdates.sum(), counters.cloudSyncs.sum(),
                counters.versionConflicts.sum(), counters.badMessages.sum(), counters.unknownDevices.sum(),
                counters.failedWrites.sum(), outbox.pending(), counters.toCloud.sum(), counters.toMappers.sum(),
                counters.droppedPublishes.sum(), connected);
    }
}

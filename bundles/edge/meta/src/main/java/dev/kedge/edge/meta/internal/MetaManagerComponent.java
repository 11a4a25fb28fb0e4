package dev.kedge.edge.meta.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Resource;
import dev.kedge.edge.meta.MetaEntry;
import dev.kedge.edge.meta.MetaManager;
import dev.kedge.edge.meta.MetaStats;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.StoreException;

/**
 * KubeEdge's MetaManager as a bus module ({@code metamanager} / {@code meta}): classifies each message (link state,
 * from an edge module, from the cloud) and hands it on. {@link #receive} runs on the bus thread of the module and
 * never waits for a commit or the cloud. Activation migrates the {@code meta} table; if that or the configuration
 * fails the component stays inactive (an ERROR says why). Starts as "cloud disconnected" until EdgeHub says
 * otherwise. A configuration change restarts it (the bus keeps the mailbox meanwhile).
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = MetaManagerComponent.PID, service = {Module.class, MetaManager.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.METAMANAGER, Module.GROUP + "=" + ModuleNames.GROUP_META})
@Designate(ocd = MetaConfig.class)
public final class MetaManagerComponent implements Module, MetaManager {
    public static final String PID = "dev.kedge.edge.meta";
    private static final Logger LOG = LoggerFactory.getLogger(MetaManagerComponent.class);

    /** Edge module names; any other source is the cloud (edgecontroller, devicecontroller, …). */
    static final Set<String> EDGE_SOURCES = Set.of(ModuleNames.EDGED, ModuleNames.TWIN, ModuleNames.EVENTBUS,
            ModuleNames.METAMANAGER, ModuleNames.SERVICEBUS, ModuleNames.METASERVER, ModuleNames.EDGESTREAM,
            ModuleNames.TASKMANAGER, ModuleNames.EDGEHUB_SOURCE, ModuleNames.EDGEHUB);

    private final EdgeStore store;
    private final MetaCounters counters = new MetaCounters();
    private final AfterCommit afterCommit;
    private final AfterCommit toEdged;
    private final RemoteOps remote;
    private final CloudMessages cloud;
    private final EdgeMessages edge;
    private final Revisions revisions = new Revisions();
    private volatile boolean connected;

    @Activate
    public MetaManagerComponent(@Reference MessageBus bus, @Reference EdgeStore store, MetaConfig config) {
        MetaSettings settings;
        String metaId;
        try {
            settings = MetaSettings.of(config);
            store.migrate(MetaTable.OWNER, MetaTable.SCHEMA);
            metaId = MetaIdentity.ensure(store);
        } catch (IllegalArgumentException | StoreException e) {
            LOG.error("MetaManager does not start: {}", e.getMessage());
            throw e;
        }
        this.store = store;
        this.afterCommit = new AfterCommit(settings.ackQueueCapacity());
        this.toEdged = new AfterCommit(settings.ackQueueCapacity(), "meta-to-edged");
        Replies replies = new Replies(bus, counters, toEdged);
        LocalAnswers local = new LocalAnswers(store, replies, counters);
        this.remote = new RemoteOps(bus, store, replies, local, counters, () -> connected, settings, metaId, revisions);
        this.cloud = new CloudMessages(store, replies, counters, afterCommit, revisions);
        this.edge = new EdgeMessages(store, replies, remote, local, counters, afterCommit, revisions);
    }

    @Deactivate
    void stop() throws InterruptedException {
        remote.stop();
        afterCommit.stop();
        toEdged.stop();
    }

    @Override
    public void receive(Message m) {
        if (CloudLink.isLinkState(m)) {
            linkState(m);
            return;
        }
        Resource r;
        try {
            r = Resource.parseEdge("", m.resource());
        } catch (IllegalArgumentException e) {
            refuse(m, e.getMessage());
            return;
        }
        boolean handled = EDGE_SOURCES.contains(m.source()) ? edge.handle(m, r) : cloud.handle(m, r);
        if (!handled) {
            refuse(m, "operation '" + m.operation() + "' is not supported from " + m.source());
        }
    }

    private void linkState(Message m) {
        Object c = m.content();
        if (CloudLink.CONNECTED.equals(c) || CloudLink.DISCONNECTED.equals(c)) {
            boolean now = CloudLink.CONNECTED.equals(c);
            if (now != connected) {
                LOG.info("cloud link {}", now ? "connected: remote operations go to the cloud"
                        : "lost: remote operations fail, queries are answered from meta");
            }
            connected = now;
        } else {
            refuse(m, "unknown link state '" + c + "'");
        }
    }

    private void refuse(Message m, String why) {
        counters.badMessages.increment();
        LOG.error("message {} ({} {} from {}) refused: {}", m.id(), m.operation(), m.resource(), m.source(), why);
    }

    boolean connected() {
        return connected;
    }

    @Override
    public List<MetaEntry> list(String type) {
        return store.read(c -> {
            List<MetaEntry> out = new ArrayList<>();
            List<MetaTable.Row> rows = type == null || type.isEmpty() ? MetaTable.all(c)
                    : MetaTable.byType(c, type, null);
            for (MetaTable.Row row : rows) {
                String v = row.value() == null ? "" : row.value();
                out.add(new MetaEntry(row.key(), row.type(), ObjectMeta.ofJson(v).resourceVersion(),
                        v.getBytes(StandardCharsets.UTF_8).length));
            }
            return out;
        });
    }

    @Override
    public long revision(String type) {
        return revisions.of(type);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(store.read(c -> MetaTable.value(c, key)));
    }

    @Override
    public MetaStats stats() {
        long rows = store.read(MetaTable::count);
        return new MetaStats(rows, counters.stored.sum(), counters.stale.sum(), counters.deleted.sum(),
                counters.acks.sum(), counters.failedWrites.sum(), counters.remoteOk.sum(), counters.remoteFailed.sum(),
                counters.localAnswers.sum(), counters.toCloud.sum(), counters.badMessages.sum(), connected);
    }
}

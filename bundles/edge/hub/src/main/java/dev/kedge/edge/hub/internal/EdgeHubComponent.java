package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Inbox;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.hub.EdgeHub;
import dev.kedge.edge.hub.EdgeHubStatus;

/**
 * KubeEdge's EdgeHub as a bus module ({@code websocket} / {@code hub}): everything sent to it goes to CloudHub;
 * everything CloudHub sends is routed to the edge modules. It takes its messages from its bus mailbox itself
 * ({@link Inbox}) when the link can write them, so they wait there, bounded by {@code outboxCapacity}, while the
 * link is down and while this bundle is updated. Stays active without a configuration or a cloud address (state
 * NOT_JOINED), so that {@code edgehub:status} and {@code kedge:join} always work.
 * <p>Threads: {@code kedge-edgehub-link-1} (connect, bootstrap, write, heartbeat) and the connection's reader
 * ({@code kedge-edgehub-io-N}, one per connection, ended with it); the read and write deadlines run on core's
 * {@link SharedScheduler}. Only the certificate bootstrap of a first join uses the JDK HttpClient (and its threads).
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = EdgeHubComponent.PID, service = EdgeHub.class, immediate = true)
@Designate(ocd = EdgeHubConfig.class)
public final class EdgeHubComponent implements EdgeHub {
    public static final String PID = "dev.kedge.edge.hub";
    static final String TOKEN = "token";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHubComponent.class);

    private final ConfigurationAdmin configAdmin;
    private final HubCounters counters = new HubCounters();
    private final Inbox inbox;
    private final Upstream upstream;
    private final SharedScheduler scheduler;
    private final ThreadPoolExecutor io;
    private final CloudLink link;
    private final LinkEvents events;
    private final WaitingGroupMessages waiting;
    private volatile String configError;

    @Activate
    public EdgeHubComponent(@Reference MessageBus bus, @Reference ConfigurationAdmin configAdmin,
            @Reference SharedScheduler scheduler, EdgeHubConfig config) {
        this.configAdmin = configAdmin;
        this.events = new LinkEvents(bus);
        this.waiting = new WaitingGroupMessages(bus, counters, events::moduleOf, System::nanoTime);
        HubSettings settings;
        String error = "";
        try {
            settings = HubSettings.of(config);
        } catch (IllegalArgumentException e) {
            error = "invalid configuration " + PID + ": " + e.getMessage();
            LOG.error("{}; EdgeHub stays disconnected until it is fixed", error);
            settings = notJoined(config);
        }
        this.configError = error;
        this.upstream = new Upstream(bus, counters, this::connected);
        this.scheduler = scheduler;
        // a connection's reader: no queue, a thread per connection, ended when idle
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, DaemonThreads.IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.factory("edgehub-io"));
        this.inbox = bus.openInbox(ModuleNames.EDGEHUB, ModuleNames.GROUP_HUB, settings.outboxCapacity(),
                upstream::admit);
        try {
            upstream.failQueuedSyncRequests(inbox); // sent while EdgeHub was away; not connected yet
            this.link = new CloudLink(settings, bus, events, waiting, inbox, counters, upstream, scheduler, io,
                    this::removeToken);
            link.start();
        } catch (RuntimeException | Error e) { // not activated: the next activation must find the mailbox free
            inbox.close();
            io.shutdown();
            throw e;
        }
    }

    /** A new token alone (or its removal after use) keeps the link; anything else restarts it with the new values. */
    @Modified
    void modified(EdgeHubConfig config) {
        HubSettings next;
        try {
            next = HubSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration {} ignored, the previous one stays: {}", PID, e.getMessage());
            configError = "invalid configuration " + PID + " ignored: " + e.getMessage();
            return;
        }
        configError = "";
        int capacity = inbox.info().capacity();
        if (next.outboxCapacity() != capacity) {
            LOG.warn("outboxCapacity {} applies when EdgeHub restarts; its mailbox keeps the bound {}",
                    next.outboxCapacity(), capacity);
        }
        HubSettings current = link.settings();
        if (next.withoutToken().equals(current.withoutToken()) && next.token().isEmpty()) {
            return; // the token we just spent was removed: nothing to do
        }
        LOG.info("EdgeHub reconfigured: server {}, node {}", next.server().isEmpty() ? "(none)" : next.server(),
                next.nodeName());
        link.reconfigure(next);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        link.stop(Duration.ofSeconds(5));
        io.shutdown(); // the pending abort of a politely closed socket still runs on the shared scheduler
        inbox.close();
        int left = inbox.info().depth();
        if (left > 0) {
            LOG.info("EdgeHub stopped; {} upstream messages wait in its mailbox for its next start", left);
        }
    }

    @Override
    public EdgeHubStatus status() {
        HubSettings s = link.settings();
        String error = configError.isEmpty() ? link.lastError() : configError;
        ModuleInfo mailbox = inbox.info();
        return new EdgeHubStatus(link.state(), s.server(), s.nodeName(), link.connectedSince(),
                counters.reconnects.sum(), error, counters.framesIn.sum(), counters.framesOut.sum(), mailbox.depth(),
                mailbox.capacity(), counters.badFrames.sum(), counters.unroutable.sum(),
                counters.upstreamRejected.sum() + mailbox.rejected());
    }

    /**
     * Modules of the link groups, so that one starting after the link came up learns its state, and gets the cloud
     * messages for its group that came before any of its group.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = LinkEvents.MODULE_FILTER, unbind = "unbindLinkModule")
    void bindLinkModule(Module module, Map<String, Object> props) {
        String name = (String) props.get(Module.NAME);
        String group = (String) props.get(Module.GROUP);
        events.moduleBound(name, group);
        if (name != null && LinkEvents.GROUPS.contains(group)) {
            waiting.memberBound(name, group);
        }
    }

    void unbindLinkModule(Module module, Map<String, Object> props) {
        events.moduleUnbound((String) props.get(Module.NAME));
    }

    private boolean connected() {
        return link != null && link.connected();
    }

    /** KubeEdge clears the token once the certificates are there; so do we, kept through FileInstall's race. */
    private void removeToken() {
        try {
            Configuration c = configAdmin.getConfiguration(PID, null);
            Dictionary<String, Object> props = c.getProperties();
            if (props == null || props.get(TOKEN) == null || props.get(TOKEN).toString().isEmpty()) {
                return;
            }
            Object server = props.get("server"); // the join the token came with must stay as well
            HubConfigWriter.write(configAdmin, scheduler, p -> {
                p.remove(TOKEN);
                return p;
            }, now -> now.get(TOKEN) == null && Objects.equals(now.get("server"), server)).whenComplete((kept, e) -> {
                if (e != null) {
                    LOG.warn("could not remove the used join token from {}: {}", PID, e.toString());
                } else if (kept) {
                    LOG.info("join token used and removed from {}", PID);
                } else {
                    LOG.warn("the used join token's removal from {} was undone (etc/{}.cfg rewritten meanwhile?);"
                            + " it is removed again at the next connection", PID, PID);
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the used join token from {}: {}", PID, e.toString());
        }
    }

    /** The settings of a broken configuration: not joined, everything else at its default. */
    private static HubSettings notJoined(EdgeHubConfig config) {
        return new HubSettings("", null, "", HubSettings.hostName(), config.projectID(),
                Duration.ofSeconds(15), 30, 60, java.nio.file.Path.of("."), Duration.ofSeconds(30),
                Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Math.max(1, config.outboxCapacity()), 8 * 1024 * 1024);
    }
}

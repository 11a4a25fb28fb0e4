package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.Operations;
import dev.kedge.edge.edged.EdgedNodeInfo;

/**
 * The node half of KubeEdge's edged (the kubelet's node status manager and lease controller): registers the Node
 * when the cloud link comes up, sends its status when it changes (and every report period anyway) and renews its
 * Lease, all through MetaManager (docs/messages.md). Offline it sends nothing; on reconnect it registers again.
 * <p>Every method that touches state runs on the {@link AgentTimer}'s thread; the snapshot fields are volatile
 * so that the shell can read them.
 */
final class NodeAgent {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    static final String SOURCE = ModuleNames.EDGED;
    static final String NAMESPACE = "default";
    static final String LEASE_NAMESPACE = "kube-node-lease";

    private final MessageBus bus;
    private final EdgedSettings settings;
    private final AgentTimer timer;
    private final Clock clock;
    private final Supplier<String> nodeNames;
    private final Supplier<Machine> machine;
    private final Supplier<RuntimeHealth> runtime;
    private final Conditions conditions = new Conditions();
    private final RetryDelays retries;

    private volatile boolean connected;
    /** Counts link changes: a registration retry scheduled on an earlier connection finds it changed and stops. */
    private long linkEpoch;
    private volatile boolean registered;
    private volatile String nodeName = "";
    private volatile String uid = "";
    private JsonNode lastStatus;
    private boolean readySent; // agent thread only
    private volatile Instant lastStatusSent;
    private volatile Instant lastLeaseRenewal;
    private volatile String leaseVersion = "";
    /** The cloud has answered a lease renewal: updates from now on, until an error makes us start over. */
    private boolean leaseKnown;
    private volatile String lastError = "";

    final LongAdder registrations = new LongAdder();
    final LongAdder registrationFailures = new LongAdder();
    final LongAdder statusSent = new LongAdder();
    final LongAdder statusSkipped = new LongAdder();
    final LongAdder statusFailed = new LongAdder();
    final LongAdder leaseOk = new LongAdder();
    final LongAdder leaseFailed = new LongAdder();
    final LongAdder ignored = new LongAdder();

    NodeAgent(MessageBus bus, EdgedSettings settings, AgentTimer timer, Clock clock, Supplier<String> nodeNames,
            Supplier<Machine> machine) {
        this(bus, settings, timer, clock, nodeNames, machine, () -> new RuntimeHealth("", true, ""));
    }

    NodeAgent(MessageBus bus, EdgedSettings settings, AgentTimer timer, Clock clock, Supplier<String> nodeNames,
            Supplier<Machine> machine, Supplier<RuntimeHealth> runtime) {
        this.runtime = runtime;
        this.bus = bus;
        this.settings = settings;
        this.timer = timer;
        this.clock = clock;
        this.nodeNames = nodeNames;
        this.machine = machine;
        this.retries = new RetryDelays(settings.registerRetryMin(), settings.registerRetryMax());
    }

    /** Starts the status and lease loops; they do nothing until the link is up and the node registered. */
    void start() {
        timer.every(this::statusTick, settings.statusUpdate());
        timer.every(this::renewLease, settings.leaseRenewInterval());
    }

    /** EdgeHub's {@code cloud_connected} / {@code cloud_disconnected}; any thread. */
    void linkChanged(boolean up) {
        timer.execute(() -> onLink(up));
    }

    private void onLink(boolean up) {
        if (up == connected) {
            return; // EdgeHub's broadcast and its status may both tell us
        }
        connected = up;
        linkEpoch++;
        registered = false;
        if (up) {
            LOG.info("cloud link up: registering node");
            retries.reset();
            register(linkEpoch);
        } else {
            LOG.info("cloud link down: node status and lease paused until it is back");
        }
    }

    /** KubeEdge's registration: a sync {@code insert} of the Node; the cloud creates it or updates it. */
    private void register(long epoch) {
        if (!connected || epoch != linkEpoch || registered) {
            return;
        }
        String name;
        try {
            name = EdgedSettings.checkNodeName(nodeNames.get());
        } catch (IllegalArgumentException e) {
            registrationFailed(epoch, e.getMessage());
            return;
        }
        if (!name.equals(nodeName)) {
            nodeName = name; // a renamed node is another Node: forget the old one's UID and Lease
            uid = "";
            leaseVersion = "";
            leaseKnown = false;
        }
        Machine m = machine.get();
        ObjectNode node = NodeObjects.node(name, settings, m, status(name, m));
        Message request = Message.create(SOURCE, ModuleNames.GROUP_META, Operations.INSERT,
                NAMESPACE + "/node/" + name, node);
        Message answer;
        try {
            answer = bus.sendSync(ModuleNames.METAMANAGER, request, settings.syncTimeout());
        } catch (BusException e) {
            registrationFailed(epoch, "registration of node " + name + " not answered: " + e.getMessage());
            return;
        }
        ObjectResp registeredNode = ObjectResp.read(answer);
        if (registeredNode.failed()) {
            registrationFailed(epoch, "registration of node " + name + " refused: " + registeredNode.failure());
            return;
        }
        if (!connected || epoch != linkEpoch) {
            return; // the link went down while we waited: register again on the next connection
        }
        String answeredUid = registeredNode.field("/metadata/uid");
        if (answeredUid.isEmpty()) {
            LOG.warn("registration of node {} answered without a UID; status and lease go without it", name);
        } else {
            uid = answeredUid;
        }
        registered = true;
        registrations.increment();
        retries.reset();
        lastStatus = null; // the first status after a (re-)registration is always sent
        readySent = false;
        LOG.info("node {} registered (uid {})", name, uid.isEmpty() ? "unknown" : uid);
        statusTick();
        renewLease();
    }

    private void registrationFailed(long epoch, String why) {
        registrationFailures.increment();
        lastError = why;
        Duration delay = retries.next();
        LOG.warn("{}; retrying in {} ms", why, delay.toMillis());
        timer.schedule(() -> register(epoch), delay);
    }

    /** Every update period: send the status if it changed, or if the report period is over. */
    void statusTick() {
        if (!connected || !registered) {
            return;
        }
        Instant now = clock.instant();
        String name = nodeName;
        ObjectNode status = status(name, machine.get());
        JsonNode comparable = NodeObjects.withoutHeartbeats(status);
        boolean reportDue = lastStatusSent == null || !now.isBefore(lastStatusSent.plus(settings.statusReport()));
        if (!reportDue && comparable.equals(lastStatus)) {
            statusSkipped.increment();
            return;
        }
        Message update = Message.create(SOURCE, ModuleNames.GROUP_META, Operations.UPDATE,
                NAMESPACE + "/nodestatus/" + name, NodeObjects.statusRequest(uid, status));
        try {
            bus.send(ModuleNames.METAMANAGER, update);
        } catch (BusException e) {
            statusFailed.increment();
            lastError = "node status not sent: " + e.getMessage();
            LOG.warn("{}; trying again in {} s", lastError, settings.statusUpdate().toSeconds());
            return;
        }
        lastStatus = comparable;
        lastStatusSent = now;
        statusSent.increment();
        if (!readySent && ready(status)) {
            readySent = true; // once per registration: the start-up figure scripts/measure-edge.sh reads
            LOG.info("node {} Ready: first Ready status sent since registration", name);
        }
    }

    private static boolean ready(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /** The kubelet's lease controller: renew, keeping the answered resourceVersion for the next update. */
    void renewLease() {
        if (!connected || !registered) {
            return;
        }
        long epoch = linkEpoch;
        String name = nodeName;
        Instant now = clock.instant();
        ObjectNode lease = NodeObjects.lease(name, uid, leaseVersion, settings.leaseDurationSeconds(), now);
        Message request = Message.create(SOURCE, ModuleNames.GROUP_META,
                leaseKnown ? Operations.UPDATE : Operations.INSERT, LEASE_NAMESPACE + "/lease/" + name, lease)
                .withResourceVersion(leaseVersion);
        Message answer;
        try {
            answer = bus.sendSync(ModuleNames.METAMANAGER, request, settings.syncTimeout());
        } catch (BusException e) {
            leaseFailed("lease renewal not answered: " + e.getMessage());
            return;
        }
        ObjectResp stored = ObjectResp.read(answer);
        if (stored.failed()) {
            leaseFailed("lease renewal refused: " + stored.failure());
            return;
        }
        if (epoch != linkEpoch) {
            return;
        }
        leaseKnown = true;
        leaseVersion = stored.field("/metadata/resourceVersion");
        lastLeaseRenewal = now;
        leaseOk.increment();
    }

    /**
     * After a failure we no longer know the stored Lease's version (a conflict, a lost answer): the next renewal is
     * an {@code insert} without one, which the cloud turns into a create or an unconditional update.
     */
    private void leaseFailed(String why) {
        leaseFailed.increment();
        leaseKnown = false;
        leaseVersion = "";
        lastError = why;
        LOG.warn("{}; next try in {} ms", why, settings.leaseRenewInterval().toMillis());
    }

    /** The NodeStatus as it would be sent now. Agent thread only: it moves the condition transition times. */
    ObjectNode currentStatus() {
        String name = nodeName.isEmpty() ? nodeNames.get() : nodeName;
        return status(name, machine.get());
    }

    /** The runtime's health changed: report it now rather than at the next update period. */
    void runtimeChanged() {
        timer.execute(this::statusTick);
    }

    /** A message Edged has no use for. */
    void ignore(Message m) {
        ignored.increment();
        LOG.debug("Edged ignores {} {} from {}", m.operation(), m.resource(), m.source());
    }

    EdgedNodeInfo info() {
        String name = nodeName.isEmpty() ? nodeNames.get() : nodeName; // before registration: the name it will use
        return new EdgedNodeInfo(name, connected, registered, uid, lastStatusSent, lastLeaseRenewal, leaseVersion,
                registrations.sum(), registrationFailures.sum(), statusSent.sum(), statusSkipped.sum(),
                statusFailed.sum(), leaseOk.sum(), leaseFailed.sum(), ignored.sum(), lastError);
    }

    private ObjectNode status(String name, Machine m) {
        return NodeObjects.status(name, settings, m, runtime.get(), conditions, clock.instant());
    }
}

package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
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

import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.json.Json;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.edged.Edged;
import dev.kedge.edge.edged.EdgedNodeInfo;
import dev.kedge.edge.edged.EdgedPodInfo;
import dev.kedge.edge.hub.EdgeHub;
import dev.kedge.edge.hub.EdgeHubStatus;

/**
 * KubeEdge's edged as a bus module ({@code edged} / {@code edged}): registration, node status and lease (see
 * {@link NodeAgent}, one thread {@code kedge-edged}) and the pods (see {@link PodManager}, a small pool). Listens for
 * EdgeHub's link events; also asks the EdgeHub service at start, since a link that came up before Edged did was
 * announced to nobody. The container runtime is optional and dynamic: without it the node registers NotReady.
 * <p>An invalid configuration keeps the component active but idle, with the error in {@code edged:node}.
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = EdgedComponent.PID, service = {Edged.class, Module.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.EDGED, Module.GROUP + "=" + ModuleNames.GROUP_EDGED})
@Designate(ocd = EdgedConfig.class)
public final class EdgedComponent implements Edged, Module {
    public static final String PID = "dev.kedge.edge.edged";
    private static final Logger LOG = LoggerFactory.getLogger(EdgedComponent.class);

    private final EdgedSettings settings;
    private final String configError;
    private final ExecutorTimer timer;
    private final NodeAgent agent;
    private final PodManager pods;
    private final MachineReader machine;
    private volatile EdgeHub hub;
    private volatile ContainerRuntime runtime;
    private volatile String hostIP = "";
    private volatile Instant hostIPAt = Instant.EPOCH;

    @Activate
    public EdgedComponent(@Reference MessageBus bus, @Reference SharedScheduler scheduler, EdgedConfig config,
            BundleContext context) {
        this(bus, scheduler, config, context.getBundle().getVersion().toString(), Clock.systemUTC(),
                (rt, objects) -> null);
    }

    /** {@code specs} null (production): the {@code spec} package's classes for each runtime. */
    EdgedComponent(MessageBus bus, SharedScheduler scheduler, EdgedConfig config, String version, Clock clock,
            PodManager.SpecsFactory specs) {
        EdgedSettings s = null;
        String error = "";
        try {
            s = EdgedSettings.of(config, version);
        } catch (IllegalArgumentException e) {
            error = "invalid configuration " + PID + ": " + e.getMessage();
            LOG.error("{}; Edged stays idle (no registration, status or lease) until it is fixed", error);
        }
        this.settings = s;
        this.configError = error;
        this.timer = new ExecutorTimer(scheduler);
        if (s == null) {
            this.agent = null;
            this.pods = null;
            this.machine = null;
            return;
        }
        this.machine = new MachineReader(s.rootDirectory(), s.nodeIP());
        java.nio.file.Path podsDirectory = s.pods().podsDirectory();
        PodManager.SpecsFactory factory = (rt, objects) -> {
            PodSpecs custom = specs.create(rt, objects);
            return custom != null ? custom : PodSpecs.of(rt, podsDirectory, objects, clock);
        };
        this.pods = new PodManager(bus, s, scheduler, clock, this::nodeName, this::hostIP, h -> agentRuntimeChanged(),
                factory);
        this.agent = new NodeAgent(bus, s, timer, clock, this::nodeName, machine, pods::health);
        agent.start();
        pods.nodeNameSettledWhen(() -> !settings.nodeName().isEmpty() || hub != null);
        pods.start();
        ContainerRuntime rt = runtime;
        if (rt != null) {
            pods.runtimeChanged(rt);
        }
        LOG.info("Edged started: status every {} s (reported at least every {} s), lease every {} ms",
                s.statusUpdate().toSeconds(), s.statusReport().toSeconds(), s.leaseRenewInterval().toMillis());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHub")
    void bindHub(EdgeHub edgeHub) {
        this.hub = edgeHub;
        if (agent != null && edgeHub.status().state() == EdgeHubStatus.State.CONNECTED) {
            agent.linkChanged(true);
        }
    }

    void unbindHub(EdgeHub edgeHub) {
        if (hub == edgeHub) {
            hub = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRuntime")
    void bindRuntime(ContainerRuntime containerRuntime) {
        this.runtime = containerRuntime;
        if (pods != null) {
            pods.runtimeChanged(containerRuntime);
        }
    }

    void unbindRuntime(ContainerRuntime containerRuntime) {
        if (runtime == containerRuntime) {
            runtime = null;
            if (pods != null) {
                pods.runtimeChanged(null);
            }
        }
    }

    private void agentRuntimeChanged() {
        if (agent != null) {
            agent.runtimeChanged();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (pods != null) {
            pods.stop();
        }
        if (!timer.stop(Duration.ofSeconds(5))) {
            LOG.warn("Edged's thread did not stop within 5 s");
        }
    }

    @Override
    public void receive(Message message) {
        if (agent == null) {
            return;
        }
        if (!CloudLink.isLinkState(message)) {
            if (!pods.receive(message)) {
                agent.ignore(message);
            }
            return;
        }
        Object c = message.content();
        if (CloudLink.CONNECTED.equals(c)) {
            agent.linkChanged(true);
            pods.linkChanged(true);
        } else if (CloudLink.DISCONNECTED.equals(c)) {
            agent.linkChanged(false);
        } else {
            LOG.error("link event from {} with unknown content {}; ignored", message.source(),
                    message.contentAsString());
            agent.ignore(message);
        }
    }

    @Override
    public EdgedNodeInfo node() {
        if (agent == null) {
            return new EdgedNodeInfo("", false, false, "", null, null, "", 0, 0, 0, 0, 0, 0, 0, 0, configError);
        }
        return agent.info();
    }

    @Override
    public String nodeStatusJson() {
        if (agent == null) {
            throw new IllegalStateException(configError);
        }
        CompletableFuture<String> json = new CompletableFuture<>();
        try {
            timer.execute(() -> {
                try {
                    json.complete(Json.writePretty(agent.currentStatus()));
                } catch (RuntimeException e) {
                    json.completeExceptionally(e);
                }
            });
            // the agent's thread may be waiting for a sync answer: allow for that
            return json.get(settings.syncTimeout().toSeconds() + 5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("Edged is stopped");
        } catch (TimeoutException e) {
            throw new IllegalStateException("Edged's thread is busy; try again");
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot compute the node status: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    @Override
    public List<EdgedPodInfo> pods() {
        return pods == null ? List.of() : pods.pods();
    }

    @Override
    public List<String> logs(String namespace, String pod, String container, int lines) {
        if (pods == null) {
            throw new IllegalArgumentException(configError);
        }
        return pods.logs(namespace, pod, container, lines);
    }

    /** The node's InternalIP (pods' hostIP), read again at most once a minute. */
    private String hostIP() {
        Instant now = Instant.now();
        if (hostIP.isEmpty() || now.isAfter(hostIPAt.plusSeconds(60))) {
            hostIP = machine.get().hostIP();
            hostIPAt = now;
        }
        return hostIP;
    }

    /** Configured name, else EdgeHub's (the name the cloud knows this node by), else the host name. */
    private String nodeName() {
        if (!settings.nodeName().isEmpty()) {
            return settings.nodeName();
        }
        EdgeHub h = hub;
        if (h != null) {
            String n = h.status().nodeName();
            if (n != null && !n.isBlank()) {
                return n.strip();
            }
        }
        return HostName.get();
    }
}

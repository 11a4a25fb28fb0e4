package dev.kedge.edge.hub.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * Tells the edge modules that the cloud link came up or went down, as KubeEdge's {@code pubConnectInfo} does:
 * source {@code edgehub}, operation {@code connect}, resource {@code node/connection}, content
 * {@code cloud_connected} / {@code cloud_disconnected}, one message per group with the group as route group.
 * <p>A group message reaches only the modules bound at that moment. A module that starts after the link came up (or
 * binds just after the broadcast, as MetaManager did on one restart in ten, never learning it may send upstream) is
 * told the current state by name when EdgeHub sees its service, and a known module not yet bound on the bus gets it
 * in its mailbox. A module may so hear the same state twice; every listener treats the state as idempotent.
 */
final class LinkEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LinkEvents.class);

    /**
     * KubeEdge's groups (meta, twin, bus) plus edged: KubeEdge's edged reads a process-wide flag instead, ours
     * listens on the bus.
     */
    static final List<String> GROUPS = List.of(ModuleNames.GROUP_META, ModuleNames.GROUP_TWIN,
            ModuleNames.GROUP_BUS, ModuleNames.GROUP_EDGED);
    /** The modules {@link #moduleBound} is called for: members of {@link #GROUPS}. */
    static final String MODULE_FILTER = "(|(kedge.group=meta)(kedge.group=twin)(kedge.group=bus)(kedge.group=edged))";

    private final MessageBus bus;
    /** Name → group of the link groups' module services EdgeHub knows. */
    private final Map<String, String> modules = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    /** Null until the link first came up or went down. Guarded by lock. */
    private Boolean state;

    LinkEvents(MessageBus bus) {
        this.bus = bus;
    }

    void publish(boolean connected) {
        synchronized (lock) {
            state = connected;
            // read before the broadcast: a module binding meanwhile gets both, never neither
            Set<String> bound = bus.modules().stream().filter(m -> "ACTIVE".equals(m.state())).map(ModuleInfo::name)
                    .collect(Collectors.toSet());
            for (String group : GROUPS) {
                try {
                    bus.sendToGroup(group, message(group, connected));
                } catch (BusException e) {
                    LOG.error("could not tell group {} that the link is {}: {}", group, content(connected), e.getMessage());
                }
            }
            modules.forEach((name, group) -> {
                if (!bound.contains(name)) {
                    tell(name, group, connected);
                }
            });
        }
    }

    /** A module of a link group appeared: it learns the current state, if there is one yet. */
    void moduleBound(String name, String group) {
        if (name == null || group == null || !GROUPS.contains(group)) {
            return;
        }
        synchronized (lock) {
            modules.put(name, group);
            if (state != null) {
                tell(name, group, state);
            }
        }
    }

    /** A module of {@code group} whose service EdgeHub has seen (bound on the bus or about to be), or null. */
    String moduleOf(String group) {
        for (Map.Entry<String, String> e : modules.entrySet()) {
            if (e.getValue().equals(group)) {
                return e.getKey();
            }
        }
        return null;
    }

    void moduleUnbound(String name) {
        if (name != null) {
            modules.remove(name);
        }
    }

    private void tell(String name, String group, boolean connected) {
        try {
            bus.send(name, message(group, connected));
        } catch (BusException e) {
            LOG.error("could not tell module {} that the link is {}: {}", name, content(connected), e.getMessage());
        }
    }

    private static Message message(String group, boolean connected) {
        return Message.create(CloudLink.SOURCE, group, Operations.CONNECT, CloudLink.RESOURCE, content(connected));
    }

    private static String content(boolean connected) {
        return connected ? CloudLink.CONNECTED : CloudLink.DISCONNECTED;
    }
}

package dev.kedge.edge.hub.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * Tells the edge modules that the cloud link came up or went down, as KubeEdge's {@code pubConnectInfo} does:
 * source {@code edgehub}, operation {@code connect}, resource {@code node/connection}, content
 * {@code cloud_connected} / {@code cloud_disconnected}, one message per group with the group as route group.
 */
final class LinkEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LinkEvents.class);

    /**
     * KubeEdge's groups (meta, twin, bus) plus edged: KubeEdge's edged reads a process-wide flag instead, ours
     * listens on the bus.
     */
    static final List<String> GROUPS = List.of(ModuleNames.GROUP_META, ModuleNames.GROUP_TWIN,
            ModuleNames.GROUP_BUS, ModuleNames.GROUP_EDGED);

    private LinkEvents() {
    }

    static void publish(MessageBus bus, boolean connected) {
        String content = connected ? CloudLink.CONNECTED : CloudLink.DISCONNECTED;
        for (String group : GROUPS) {
            try {
                bus.sendToGroup(group, Message.create(CloudLink.SOURCE, group, Operations.CONNECT, CloudLink.RESOURCE, content));
            } catch (BusException e) {
                LOG.error("could not tell group {} that the link is {}: {}", group, content, e.getMessage());
            }
        }
    }
}

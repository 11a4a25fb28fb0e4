package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.kedge.core.CloudLink;
import dev.kedge.core.ModuleInfo;
import dev.kedge.core.testing.RecordingBus;

/** A module that was not bound when the link state was broadcast still learns it (the restart race of issue #12). */
class LinkEventsTest {

    /** A bus on which only the named modules are bound. */
    static final class Bus extends RecordingBus {
        volatile Set<String> active = Set.of();

        @Override
        public List<ModuleInfo> modules() {
            return active.stream().map(n -> new ModuleInfo(n, "", "ACTIVE", 0, 16, 0, 0, 0)).collect(Collectors.toList());
        }
    }

    @Test
    void theBroadcastGoesToEveryLinkGroup() {
        Bus bus = new Bus();
        new LinkEvents(bus).publish(true);
        assertEquals(List.of("meta", "twin", "bus", "edged"), targets(bus, RecordingBus.GROUP));
        assertEquals(List.of(), targets(bus, RecordingBus.SEND));
    }

    @Test
    void aModuleSeenAfterTheLinkCameUpIsToldByName() {
        Bus bus = new Bus();
        LinkEvents events = new LinkEvents(bus);
        events.moduleBound("twin", "twin");
        assertEquals(List.of(), bus.calls(), "no state before the link ever changed");
        events.publish(true);
        bus.clear();

        events.moduleBound("metamanager", "meta");
        assertEquals(List.of("metamanager"), targets(bus, RecordingBus.SEND));
        assertEquals(CloudLink.CONNECTED, bus.sentTo("metamanager").get(0).content());
        assertEquals("meta", bus.sentTo("metamanager").get(0).group(), "routed as the group broadcast is");
    }

    @Test
    void aKnownModuleNotYetBoundOnTheBusGetsTheStateInItsMailbox() {
        Bus bus = new Bus();
        LinkEvents events = new LinkEvents(bus);
        events.moduleBound("metamanager", "meta");
        events.moduleBound("twin", "twin");
        bus.active = Set.of("twin");
        events.publish(false);
        assertEquals(List.of("metamanager"), targets(bus, RecordingBus.SEND), "twin got the broadcast");
        assertEquals(CloudLink.DISCONNECTED, bus.sentTo("metamanager").get(0).content());
    }

    @Test
    void modulesOutsideTheLinkGroupsAreIgnored() {
        Bus bus = new Bus();
        LinkEvents events = new LinkEvents(bus);
        events.publish(true);
        bus.clear();
        events.moduleBound("websocket", "hub");
        events.moduleBound(null, "meta");
        assertEquals(List.of(), bus.calls());
    }

    private static List<String> targets(RecordingBus bus, String kind) {
        return bus.calls(kind).stream().map(RecordingBus.Call::target).collect(Collectors.toList());
    }
}

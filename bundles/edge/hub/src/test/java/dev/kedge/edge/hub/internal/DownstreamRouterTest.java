package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.MessageHeader;
import dev.kedge.core.testing.RecordingBus;

/** KubeEdge's edge dispatch of cloud messages (edge/pkg/edgehub/process.go and messagehandler). */
class DownstreamRouterTest {
    private final RecordingBus bus = new RecordingBus().populatedGroups(Set.of("meta", "twin", "bus"));
    private final HubCounters counters = new HubCounters();
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    /** Group → module name, as LinkEvents knows them from the module services EdgeHub has seen. */
    private final java.util.Map<String, String> seen = new java.util.HashMap<>();
    private final DownstreamRouter router = new DownstreamRouter(bus, counters,
            new WaitingGroupMessages(bus, counters, seen::get, nanos::get));

    @ParameterizedTest(name = "group {0}, source {1}, response {2} → {3} {4}")
    @CsvSource({
        "resource, edgecontroller,   false, group,   meta",
        "resource, edgecontroller,   true,  respond, ",
        "func,     edgecontroller,   false, group,   meta",
        "func,     edgecontroller,   true,  respond, ",
        "twin,     devicecontroller, false, group,   twin",
        "twin,     devicecontroller, true,  respond, ",
        "user,     router_eventbus,  false, send,    eventbus",
        "user,     router_servicebus,false, send,    servicebus",
        "user,     router,           false, group,   bus",
        "user,     router_eventbus,  true,  respond, ",
        "taskmanager, taskmanager,   false, send,    taskmanager",
    })
    void routesByKubeEdgeRules(String group, String source, boolean response, String kind, String target) {
        Message m = message(source, group, response);
        router.route(m);
        assertEquals(1, bus.calls().size(), bus.describe());
        RecordingBus.Call call = bus.calls().get(0);
        assertEquals(kind, call.kind());
        if (target != null) {
            assertEquals(target, call.target());
        } else {
            assertEquals(m.parentId(), call.target());
        }
        assertSame(m, call.message(), "forwarded unchanged");
        assertEquals(0, counters.unroutable.sum());
    }

    @Test
    void unknownGroupIsCountedNotThrown() {
        router.route(message("edgecontroller", "meta", false));
        router.route(message("edgecontroller", "", false));
        assertEquals(0, bus.calls().size());
        assertEquals(2, counters.unroutable.sum());
    }

    @Test
    void aMessageForAGroupWithoutModulesWaitsThenIsCounted() {
        RecordingBus empty = new RecordingBus().populatedGroups(Set.of());
        WaitingGroupMessages waiting = new WaitingGroupMessages(empty, counters, seen::get, nanos::get);
        new DownstreamRouter(empty, counters, waiting).route(message("edgecontroller", "resource", false));
        assertEquals(1, waiting.size());
        assertEquals(0, counters.unroutable.sum());
        nanos.addAndGet(WaitingGroupMessages.TTL.toNanos() + 1);
        assertEquals(0, waiting.size());
        assertEquals(1, counters.unroutable.sum(), "counted once the wait is over");
    }

    @Test
    void messagesThatCameBeforeTheGroupsFirstModuleGoToItInOrderAndLaterOnesAfterThem() {
        Set<String> populated = new java.util.HashSet<>();
        RecordingBus later = new RecordingBus().groupMembers(g -> populated.contains(g) ? 1 : 0);
        WaitingGroupMessages waiting = new WaitingGroupMessages(later, counters, seen::get, nanos::get);
        DownstreamRouter r = new DownstreamRouter(later, counters, waiting);
        Message m1 = message("devicecontroller", "twin", false);
        Message m2 = message("devicecontroller", "twin", false);
        r.route(m1);
        r.route(m2);
        assertEquals(2, waiting.size());

        later.clear(); // the tries to the empty group
        seen.put("twin", "twin"); // DeviceTwin's service appears
        waiting.memberBound("twin", "twin");
        assertEquals(List.of(m1, m2), later.messages("send"), "by name, in arrival order");
        assertEquals(0, waiting.size());
        // its service is up, the bus has not bound it yet: by name too, not kept
        Message m2b = message("devicecontroller", "twin", false);
        r.route(m2b);
        assertEquals(List.of(m1, m2, m2b), later.messages("send"));
        assertEquals(0, waiting.size());
        seen.remove("twin");
        later.clear();

        // the bus bound the group's module before EdgeHub saw its service: the next message flushes the older first
        Message m3 = message("devicecontroller", "twin", false);
        Message m4 = message("devicecontroller", "twin", false);
        r.route(m3);
        populated.add("twin");
        r.route(m4);
        List<Message> toGroup = later.messages("group");
        assertEquals(List.of(m3, m3, m4), toGroup, "m3 tried while the group was empty, then m3 before m4");
        assertEquals(0, waiting.size());
        assertEquals(0, counters.unroutable.sum());
    }

    @Test
    void aResponseNobodyWaitsForIsRoutedByItsGroup() {
        bus.respondResult(false);
        router.route(message("devicecontroller", "twin", true));
        assertEquals(List.of("respond", "group"), bus.calls().stream().map(RecordingBus.Call::kind).toList());
        assertEquals("twin", bus.calls().get(1).target());
    }

    @Test
    void answersCarryingObjectsAreAckedLeaseAndNodeAnswersAreNot() {
        for (String resource : new String[] {"default/configmap/c", "kube-node-lease/lease/n1", "default/node/n1"}) {
            Message request = Message.create("edgecontroller", "resource", "query", resource, null);
            router.route(Message.responseTo(request, "{\"metadata\":{}}"));
        }
        List<Message> acks = bus.sentTo("websocket");
        assertEquals(1, acks.size(), "only the configmap answer is acked: " + acks);
        assertEquals("default/configmap/c", acks.get(0).resource());
        assertEquals("OK", acks.get(0).content());
    }

    @Test
    void lateSyncResponseIsNotAnError() {
        bus.respondResult(false);
        router.route(message("edgecontroller", "resource", true));
        assertEquals(0, counters.unroutable.sum());
    }

    private static Message message(String source, String group, boolean response) {
        Message m = Message.create(source, group, "insert", "default/pod/nginx", "{}");
        if (!response) {
            return m;
        }
        MessageHeader h = m.header();
        return new Message(new MessageHeader(h.id(), Message.newId(), h.timestamp(), "", false, ""), m.route(),
                m.content());
    }
}

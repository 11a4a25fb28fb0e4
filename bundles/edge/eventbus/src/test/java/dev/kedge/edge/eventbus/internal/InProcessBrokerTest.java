package dev.kedge.edge.eventbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kedge.edge.broker.BrokerClient;

/**
 * The tests of {@link InternalBrokerTest} with EventBus inside the embedded broker (the default): the same foreign
 * mappers, the same topics and counts, no MQTT client of EventBus's own.
 */
class InProcessBrokerTest extends InternalBrokerTest {

    @Override
    boolean inProcess() {
        return true;
    }

    @Test
    void eventBusIsAnInProcessClientOfTheBrokerWithoutPahoThreads() {
        var link = eventBus.status().brokers().get(0);
        assertTrue(link.url().startsWith(InProcessLink.URL_PREFIX + "tcp://127.0.0.1:"), link.url());
        List<BrokerClient> clients = broker.clients();
        assertTrue(clients.stream().anyMatch(c -> c.clientId().equals(link.clientId())
                && c.address().equals(BrokerClient.IN_PROCESS)), clients.toString());
        List<String> paho = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("MQTT ")).toList();
        assertEquals(List.of(), paho, "Paho's threads (MQTT Snd/Rec/Call/Ping) of an EventBus client");
    }
}

package dev.kedge.edge.eventbus;

import java.util.List;

/**
 * A snapshot of EventBus.
 *
 * @param mode          KubeEdge's mqttMode: 0 internal, 1 both, 2 external
 * @param nodeName      the node name used in node topics
 * @param configError   why EventBus is idle; empty when configured
 * @param brokers       the broker connections of the mode
 * @param defaultTopics KubeEdge's built-in subscriptions
 * @param storedTopics  subscriptions from the {@code sub_topics} table
 * @param received      MQTT messages received
 * @param toTwin        of those, sent to group {@code twin}
 * @param toHub         of those, sent to group {@code hub} (upload to the cloud)
 * @param published     MQTT publishes handed to a broker (per broker)
 * @param errors        failures: bus send failed, publish failed, bad bus message, store write failed
 * @param dropped       messages dropped: outbound bound reached, broker disconnected, no receiver on the bus
 * @param malformed     device/node payloads that are not JSON (still passed to DeviceTwin, which answers them)
 * @param oversized     payloads over maxPayloadBytes, dropped
 * @param unknownTopics messages on topics none of the subscriptions match, dropped
 */
public record EventBusStatus(int mode, String nodeName, String configError, List<BrokerLinkStatus> brokers,
        List<String> defaultTopics, List<String> storedTopics, long received, long toTwin, long toHub,
        long published, long errors, long dropped, long malformed, long oversized, long unknownTopics) {

    /** {@code internal}, {@code both} or {@code external}. */
    public String modeName() {
        return switch (mode) {
            case 0 -> "internal";
            case 1 -> "both";
            case 2 -> "external";
            default -> "invalid";
        };
    }
}

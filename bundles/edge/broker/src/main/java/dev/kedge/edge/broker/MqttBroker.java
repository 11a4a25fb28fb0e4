package dev.kedge.edge.broker;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The running embedded broker: who is connected and how much went through. */
@ProviderType
public interface MqttBroker {

    /** Clients connected right now. */
    List<BrokerClient> clients();

    /** Counters since the broker started; cheap. */
    BrokerStats stats();
}

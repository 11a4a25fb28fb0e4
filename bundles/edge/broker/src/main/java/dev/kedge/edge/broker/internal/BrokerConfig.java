package dev.kedge.edge.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The embedded broker's configuration, PID {@code dev.kedge.edge.broker}; the port is KubeEdge's mqttServerInternal.
 */
@ObjectClassDefinition(name = "Kedge MQTT broker",
        description = "Embedded MQTT 3.1.1 broker for mappers and EventBus")
public @interface BrokerConfig {

    @AttributeDefinition(description = "Address to listen on; keep loopback unless devices connect over the network")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "Plain MQTT port (KubeEdge's mqttServerInternal); 0 = no plain listener")
    int port() default 1884;

    @AttributeDefinition(description = "Keep retained messages and persistent sessions in a file under dataPath")
    boolean persistence() default false;

    @AttributeDefinition(description = "Directory for persistence; empty = <karaf.data>/broker")
    String dataPath() default "";

    @AttributeDefinition(description = "Username clients must present; empty = anonymous clients allowed")
    String username() default "";

    @AttributeDefinition(description = "Password clients must present with the username",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(description = "MQTT over TLS port; 0 = no TLS listener")
    int tlsPort() default 0;

    @AttributeDefinition(description = "PEM certificate chain of the TLS listener")
    String tlsCertFile() default "";

    @AttributeDefinition(description = "PEM private key (PKCS#8) of the TLS listener")
    String tlsKeyFile() default "";

    @AttributeDefinition(description = "Largest MQTT packet accepted, in bytes; larger ones close the connection")
    int maxMessageBytes() default 1048576;

    @AttributeDefinition(description = "Bound of each session's queue of messages to deliver; more are dropped")
    int sessionQueueSize() default 1024;

    @AttributeDefinition(
            description = "Seconds an offline persistent session (clean session false) and its queue are kept")
    int sessionExpirySeconds() default 3600;

    @AttributeDefinition(description = "Clients connected at once; more are refused on accept (logged, counted)")
    int maxConnections() default 1024;

    @AttributeDefinition(description = "QoS 1 and 2 deliveries per session sent and not yet acknowledged; "
            + "more wait in the session's queue (at most 65535)")
    int maxInFlight() default 64;

    @AttributeDefinition(description = "Acknowledgements and other replies waiting to be written to one "
            + "connection; a client letting more pile up is not reading and is closed (logged, counted)")
    int maxPendingAcks() default 4096;

    @AttributeDefinition(description = "Topics with a retained message; a retained message on a further topic is "
            + "delivered but not retained (logged, counted as dropped)")
    int maxRetainedTopics() default 10000;

    @AttributeDefinition(description = "Seconds one socket write to a client may take; a client that stops reading "
            + "blocks it, and is closed after this (logged, counted)")
    int writeTimeoutSeconds() default 30;
}

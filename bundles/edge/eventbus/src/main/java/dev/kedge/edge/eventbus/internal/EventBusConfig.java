package dev.kedge.edge.eventbus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * EventBus's configuration, PID {@code dev.kedge.edge.eventbus}, with edgecore.yaml's {@code modules.eventBus} names
 * and defaults, except {@code mqttMode}: Kedge defaults to the embedded broker (0) so a gateway needs nothing else.
 */
@ObjectClassDefinition(name = "Kedge EventBus", description = "MQTT topics to and from the bus")
public @interface EventBusConfig {

    @AttributeDefinition(description = "0 = internal (embedded broker), 1 = both, 2 = external broker")
    int mqttMode() default 0;

    @AttributeDefinition(description = "The embedded broker (modes 0 and 1)")
    String mqttServerInternal() default "tcp://127.0.0.1:1884";

    @AttributeDefinition(description = "When mqttServerInternal names the embedded broker of this JVM (loopback, its port): "
            + "use it in process, without an MQTT client connection; false = connect as a client as KubeEdge does")
    boolean internalInProcess() default true;

    @AttributeDefinition(description = "The external broker, e.g. Mosquitto (modes 1 and 2); ssl://... with tlsEnable")
    String mqttServerExternal() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(description = "QoS of publishes on the internal broker (external: 1, as KubeEdge); subscriptions are QoS 1")
    int mqttQOS() default 0;

    @AttributeDefinition(description = "Retain flag of publishes on the internal broker")
    boolean mqttRetain() default false;

    @AttributeDefinition(description = "KubeEdge's internal broker session queue; the broker bundle's sessionQueueSize applies")
    int mqttSessionQueueSize() default 100;

    @AttributeDefinition(description = "MQTT client id; empty = hub-client-sub-<time>. One client per broker publishes and subscribes")
    String mqttSubClientID() default "";

    @AttributeDefinition(description = "Accepted for KubeEdge compatibility; unused: the one client per broker also publishes")
    String mqttPubClientID() default "";

    @AttributeDefinition(description = "Username for the brokers; empty = anonymous")
    String mqttUsername() default "";

    @AttributeDefinition(description = "Password for the brokers", type = AttributeType.PASSWORD)
    String mqttPassword() default "";

    @AttributeDefinition(description = "TLS to the external broker (eventBusTLS.enable)")
    boolean tlsEnable() default false;

    @AttributeDefinition(description = "PEM CA certificate of the external broker")
    String tlsMqttCAFile() default "/etc/kubeedge/ca/rootCA.crt";

    @AttributeDefinition(description = "PEM client certificate")
    String tlsMqttCertFile() default "/etc/kubeedge/certs/server.crt";

    @AttributeDefinition(description = "PEM client private key")
    String tlsMqttPrivateKeyFile() default "/etc/kubeedge/certs/server.key";

    @AttributeDefinition(description = "Node name in node topics; empty = EdgeHub's node name, else this host's name")
    String nodeName() default "";

    @AttributeDefinition(description = "Largest MQTT payload passed on, in bytes; larger ones are counted and dropped")
    int maxPayloadBytes() default 1048576;

    @AttributeDefinition(description = "Publishes per broker waiting to be written; more are counted and dropped")
    int outboundQueueSize() default 1000;

    @AttributeDefinition(description = "First reconnect delay in milliseconds; doubles per failure")
    int reconnectMinMs() default 500;

    @AttributeDefinition(description = "Longest reconnect delay in milliseconds")
    int reconnectMaxMs() default 30000;

    @AttributeDefinition(description = "MQTT keep-alive in seconds")
    int keepAliveSeconds() default 30;
}

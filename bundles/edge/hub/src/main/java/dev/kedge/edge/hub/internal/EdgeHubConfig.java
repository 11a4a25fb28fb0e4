package dev.kedge.edge.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** EdgeHub's configuration, PID {@code dev.kedge.edge.hub}; defaults are edgecore.yaml's {@code modules.edgeHub}. */
@ObjectClassDefinition(name = "Kedge EdgeHub", description = "The edge node's WebSocket link to CloudHub")
public @interface EdgeHubConfig {

    @AttributeDefinition(description = "CloudHub WebSocket address host:port (KubeEdge port 10000); empty = not joined yet")
    String server() default "";

    @AttributeDefinition(description = "CloudHub HTTPS address for ca.crt and edge.crt; empty = https://<server host>:10002")
    String httpServer() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Join token (keadm gettoken); used once to obtain the certificates, then removed")
    String token() default "";

    @AttributeDefinition(description = "Node name; empty = this host's name")
    String nodeName() default "";

    @AttributeDefinition(name = "projectID")
    String projectID() default "e632aba927ea4ac2b575ec1603d56f10";

    @AttributeDefinition(description = "Seconds between keepalives; no frame for 2 heartbeats drops the link")
    int heartbeat() default 15;

    @AttributeDefinition(name = "messageQPS", description = "Upstream messages per second (token bucket rate)")
    int messageQPS() default 30;

    @AttributeDefinition(description = "Upstream burst (token bucket size)")
    int messageBurst() default 60;

    @AttributeDefinition(description = "Directory of rootCA.crt, server.crt, server.key")
    String certDir() default "${karaf.etc}/kedge/certs";

    @AttributeDefinition(description = "Seconds for TLS handshake + WebSocket upgrade, and for each bootstrap request")
    int handshakeTimeout() default 30;

    @AttributeDefinition(description = "Seconds one frame may take to write before the link is dropped")
    int writeDeadline() default 15;

    @AttributeDefinition(description = "First reconnect delay in seconds; doubles per failure, with jitter")
    int reconnectMin() default 1;

    @AttributeDefinition(description = "Longest reconnect delay in seconds")
    int reconnectMax() default 30;

    @AttributeDefinition(description = "Bound of EdgeHub's bus mailbox: upstream messages held while disconnected or"
            + " while EdgeHub is updated. A sender finding it full waits the bus's send timeout (dev.kedge.core.bus"
            + " sendTimeoutMs), then its send fails")
    int outboxCapacity() default 1024;

    @AttributeDefinition(description = "Largest frame accepted from CloudHub, in bytes")
    int maxFrameBytes() default 8 * 1024 * 1024;
}

package dev.kedge.cloud.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** KubeEdge's cloudHub settings (cloudcore.yaml modules.cloudHub), with its defaults. */
@ObjectClassDefinition(name = "Kedge CloudHub", description = "WebSocket server for edge nodes, certificate and token service")
public @interface CloudHubConfig {

    @AttributeDefinition(name = "WebSocket address") String websocketAddress() default "127.0.0.1";

    @AttributeDefinition(name = "WebSocket port") int websocketPort() default 10000;

    @AttributeDefinition(name = "HTTPS address", description = "ca.crt and edge.crt service") String httpsAddress() default "127.0.0.1";

    @AttributeDefinition(name = "HTTPS port") int httpsPort() default 10002;

    @AttributeDefinition(name = "Advertise addresses", description = "IPs put in the server certificate; empty = this host's addresses")
    String[] advertiseAddress() default {};

    @AttributeDefinition(name = "DNS names", description = "Extra DNS names for the server certificate")
    String[] dnsNames() default {};

    @AttributeDefinition(name = "Keepalive interval (s)", description = "A node silent this long is disconnected")
    int keepaliveInterval() default 30;

    @AttributeDefinition(name = "Node limit", description = "Connections served at once; more are refused")
    int nodeLimit() default 500;

    @AttributeDefinition(name = "Edge certificate validity (days)") int edgeCertSigningDuration() default 365;

    @AttributeDefinition(name = "Token refresh (h)", description = "A token lives twice this long") int tokenRefreshDuration() default 12;

    @AttributeDefinition(name = "Ack timeout (ms)", description = "Wait for an edge ack before writing again") long ackTimeoutMs() default 5000;

    @AttributeDefinition(name = "Writes per message", description = "Writes before a message goes back to the end of the queue") int ackWrites() default 5;

    @AttributeDefinition(name = "Queued objects per node", description = "Bound of each node's ack queue (one entry per object)")
    int maxQueuedPerNode() default 10_000;

    @AttributeDefinition(name = "Max frame (bytes)", description = "Larger frames are refused") int maxFrameBytes() default 8 * 1024 * 1024;

    @AttributeDefinition(name = "Handshake deadline (ms)", description = "A connection that has not finished TLS and the "
            + "WebSocket upgrade (certificate port: TLS) by then is closed")
    int handshakeTimeoutMs() default 5000;

    @AttributeDefinition(name = "Unauthenticated connections", description = "Per port: connections not through TLS and "
            + "the upgrade yet (certificate port: all); more are closed at once")
    int maxPendingConnections() default 1024;

    @AttributeDefinition(name = "Unauthenticated per address", description = "The same, from one source address")
    int maxPendingPerAddress() default 64;

    @AttributeDefinition(name = "Secrets namespace", description = "Where casecret, cloudcoresecret, tokensecret live")
    String namespace() default "kubeedge";
}

package dev.kedge.cloud.hub.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.hub.CloudHub;
import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.ResourceVersions;
import dev.kedge.cloud.hub.NodeInfo;
import dev.kedge.core.AckPolicy;
import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Operations;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Resource;
import dev.kedge.core.tls.TlsContexts;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * CloudHub: serves edge nodes on the WebSocket port (mutual TLS), hands out the CA and edge certificates on the
 * HTTPS port, keeps the CA, its server certificate and the join token in Kubernetes secrets, and carries
 * controllers' downstream messages ({@code node/<id>/...}) to the right node with KubeEdge's ack semantics.
 */
@Component(name = "dev.kedge.cloud.hub", service = {Module.class, CloudHub.class},
        property = {Module.NAME + "=" + ModuleNames.CLOUDHUB, Module.GROUP + "=" + ModuleNames.CLOUDHUB})
@Designate(ocd = CloudHubConfig.class)
public final class CloudHubComponent implements Module, CloudHub {
    private static final Logger LOG = LoggerFactory.getLogger(CloudHubComponent.class);

    private final CloudHubConfig config;
    private final ScheduledThreadPoolExecutor scheduler;
    private final CloudCertificates certs;
    private final UpstreamRouter router;
    private final NodeRegistry registry;
    private final Server websocket;
    private final Server https;
    private final CertificateHandler certificates;
    private final Leadership leadership;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ObjectSyncLedger ledger;
    private volatile ConnectionGuard websocketGuard;
    private volatile ConnectionGuard httpsGuard;
    private final JoinTokens tokens;

    @Activate
    public CloudHubComponent(@Reference MessageBus bus,
            @Reference(target = "(kedge.kube=default)") KubernetesClient kube, @Reference Leadership leadership,
            CloudHubConfig config) throws Exception {
        this.config = config;
        this.leadership = leadership;
        this.scheduler = new ScheduledThreadPoolExecutor(2, DaemonThreads.factory("cloudhub-send"));
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            List<String> sans = CloudCertificates.wantedSans(config.advertiseAddress(), config.dnsNames());
            this.certs = CloudCertificates.ensure(kube, config.namespace(), sans);
            long refresh = Math.max(1, config.tokenRefreshDuration());
            this.tokens = new JoinTokens(certs, leadership, Duration.ofHours(refresh), Clock.systemUTC());
            scheduler.scheduleAtFixedRate(tokens::rotateOrReload, refresh, refresh, TimeUnit.HOURS);

            this.router = new UpstreamRouter(bus);
            this.registry = new NodeRegistry(config, certs.ca, scheduler, router, this::ackedElsewhere);
            var wsContext = TlsContexts.server(certs.serverCert, certs.serverKey.getPrivate(), certs.ca.certificate());
            this.websocket = JettyServers.tls("cloudhub-ws", config.websocketAddress(), config.websocketPort(),
                    wsContext, true, Duration.ofSeconds(config.keepaliveInterval() * 2L), 200,
                    server -> websocketGuard = guard(server, ConnectionGuard.Until.UPGRADE));
            JettyServers.start(websocket, WebSocketUpgradeHandler.from(websocket, c -> {
                c.setMaxTextMessageSize(config.maxFrameBytes() + 1024L);
                c.setMaxBinaryMessageSize(64 * 1024);
                c.setIdleTimeout(Duration.ofSeconds(config.keepaliveInterval() * 2L));
                c.addMapping("/*", registry);
            }));
            var httpsContext = TlsContexts.server(certs.serverCert, certs.serverKey.getPrivate(),
                    certs.ca.certificate(), TlsContexts.ClientAuth.OPTIONAL);
            this.https = JettyServers.tls("cloudhub-https", config.httpsAddress(), config.httpsPort(), httpsContext,
                    false, Duration.ofSeconds(10), 16, server -> httpsGuard = guard(server, ConnectionGuard.Until.CLOSE));
            this.certificates = new CertificateHandler(certs.ca, config.edgeCertSigningDuration(), Clock.systemUTC());
            JettyServers.start(https, certificates);
            LOG.info("CloudHub serving edges on {}:{} (WebSocket) and {}:{} (certificates); CA sha256 {}",
                    config.websocketAddress(), JettyServers.port(websocket), config.httpsAddress(),
                    JettyServers.port(https), certs.ca.caHash());
        } catch (Exception e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        JettyServers.stop(websocket);
        JettyServers.stop(https);
        scheduler.shutdownNow();
    }

    /** Downstream: a controller's message for {@code node/<id>/...}. */
    @Override
    public void receive(Message message) {
        String node;
        try {
            node = Resource.parseCloud(message.resource()).nodeId();
        } catch (IllegalArgumentException e) {
            LOG.error("downstream message {} has no node in its resource '{}': dropped", message.id(),
                    message.resource());
            return;
        }
        if (Operations.RESYNC.equals(message.operation())) {
            registry.node(node).forgetAcked();
            LOG.info("node {}: acked versions forgotten (its edge has a new database)", node);
            return;
        }
        Node target = registry.existing(node);
        if (target == null || !target.servedHere(TimeUnit.SECONDS.toNanos(config.keepaliveInterval()))) {
            // served by another replica, or by none right now: it gets this from the ObjectSyncs when it connects
            registry.notConnected.increment();
            LOG.debug("downstream {} {} for node {} dropped: not connected to this replica", message.operation(),
                    message.resource(), node);
            return;
        }
        try {
            target.enqueue(message, AckPolicy.needsAck(message));
        } catch (BusException e) {
            LOG.error("downstream {} {} for node {} refused: {}", message.operation(), message.resource(), node,
                    e.getMessage());
        }
    }

    /** The ledger records this version, or a newer one, as acked by the node (through any replica). */
    private boolean ackedElsewhere(String node, Message m) {
        ObjectSyncLedger l = ledger;
        String rv = m.header().resourceVersion();
        if (l == null || rv.isEmpty() || m.isResponse() || Operations.DELETE.equals(m.operation())) {
            return false;
        }
        String uid = NodeQueues.objectKey(m);
        if (uid.startsWith("msg:")) {
            return false;
        }
        try {
            String acked = l.ackedVersion(node, uid);
            return acked != null && !acked.isEmpty() && !ResourceVersions.newerOrDifferent(rv, acked);
        } catch (RuntimeException e) {
            return false; // without the ledger: send, the edge acks again
        }
    }

    @Override
    public List<NodeInfo> nodes() {
        return registry.infos();
    }

    @Override
    public String joinToken() {
        return tokens.current();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("connectedNodes", (long) registry.connectedCount());
        c.put("refusedHandshakes", registry.refusedHandshakes.sum());
        c.put("malformedFrames", registry.malformedFrames.sum());
        c.put("keepaliveTimeouts", registry.keepaliveTimeouts.sum());
        c.put("downstreamNotConnected", registry.notConnected.sum());
        c.put("upstreamRouted", router.routed.sum());
        c.put("upstreamUnroutable", router.unroutable.sum());
        c.put("edgeErrors", router.edgeErrors.sum());
        guardCounters(c, "ws", websocketGuard);
        guardCounters(c, "https", httpsGuard);
        c.put("certificatesIssued", certificates.issued.sum());
        c.put("certificateRequestsRefused", certificates.refused.sum());
        return c;
    }

    @Override
    public boolean disconnect(String node) {
        return registry.disconnect(node);
    }

    private ConnectionGuard guard(Server server, ConnectionGuard.Until until) {
        if (config.handshakeTimeoutMs() < 100 || config.maxPendingConnections() < 1 || config.maxPendingPerAddress() < 1) {
            throw new IllegalArgumentException("handshakeTimeoutMs must be at least 100, maxPendingConnections and "
                    + "maxPendingPerAddress at least 1");
        }
        return new ConnectionGuard(until, Duration.ofMillis(config.handshakeTimeoutMs()),
                config.maxPendingConnections(), config.maxPendingPerAddress(), server::getScheduler);
    }

    private static void guardCounters(Map<String, Long> c, String port, ConnectionGuard g) {
        c.put(port + "PendingConnections", (long) g.pending());
        c.put(port + "RefusedOverLimit", g.refusedOverLimit.sum());
        c.put(port + "RefusedPerAddress", g.refusedPerAddress.sum());
        c.put(port + "ClosedAtDeadline", g.closedAtDeadline.sum());
    }

    int websocketPort() {
        return JettyServers.port(websocket);
    }
}

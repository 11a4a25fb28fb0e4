package dev.kedge.cloud.controller.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageRoute;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Edge → cloud: KubeEdge's upstream dispatch. Requests run on a small bounded pool so the module's mailbox never
 * waits for the API server; the work per resource kind is in {@link NodeRequests}, {@link LeaseRequests},
 * {@link PodRequests} and {@link ObjectQueries}. Every request is answered the way KubeEdge's cloud answers it
 * ({@link UpstreamRoute.Answer}), success and failure, so a KubeEdge edge decodes it; the response keeps the
 * request's resource, which names the node.
 */
final class Upstream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final MessageBus bus;
    private final NamedCounters counters;
    private final ThreadPoolExecutor pool;
    private final KubeJson json;
    private final NodeRequests nodes;
    private final LeaseRequests leases;
    private final PodRequests pods;
    private final ObjectQueries queries;

    Upstream(KubernetesClient client, MessageBus bus, Settings settings, NamedCounters counters,
            BiPredicate<ObjectRef, String> referencedByNode, Function<String, List<Pod>> cachedPodsOn,
            Function<String, Node> cachedNode, Consumer<String> edgeDatabaseReplaced) {
        this.bus = bus;
        this.counters = counters;
        this.json = new KubeJson(client.getKubernetesSerialization());
        this.nodes = new NodeRequests(client, json, counters, cachedNode, edgeDatabaseReplaced);
        this.leases = new LeaseRequests(client, json, counters);
        this.pods = new PodRequests(client, json);
        this.queries = new ObjectQueries(client, json, referencedByNode, cachedPodsOn);
        this.pool = new ThreadPoolExecutor(settings.upstreamWorkers(), settings.upstreamWorkers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.upstreamQueueSize()), DaemonThreads.factory("edgecontroller-upstream"),
                new ThreadPoolExecutor.AbortPolicy());
        this.pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues the request for a worker; a full queue is answered at once (503, as an API server under load). */
    void submit(Message m, Resource r) {
        UpstreamRoute route = UpstreamRoute.of(m.operation(), r);
        if (route == UpstreamRoute.UNSUPPORTED) {
            counters.increment("upstream.unsupported");
            LOG.warn("unsupported upstream {} of {} from node {}", m.operation(), m.resource(), r.nodeId());
            answer(Message.errorTo(m, "unsupported operation " + m.operation() + " on " + r.type()));
            return;
        }
        if (route == UpstreamRoute.RULE_STATUS) {
            // KubeEdge's router reports rule status inside cloudcore; an edge never sends it, and it is never answered
            counters.increment("upstream.rulestatus.ignored");
            LOG.debug("rulestatus {} from node {} ignored: Kedge runs no router rules", m.resource(), r.nodeId());
            return;
        }
        String refusal = UpstreamRoute.refusal(route, r);
        if (refusal != null) {
            refuse(m, route, refusal);
            return;
        }
        try {
            pool.execute(() -> handle(route, m, r));
        } catch (RejectedExecutionException e) {
            counters.increment("upstream.rejectedBusy");
            LOG.warn("upstream queue full: {} {} from node {} refused", m.operation(), m.resource(), r.nodeId());
            fail(m, route, ErrStatus.of(503, "ServiceUnavailable", "edgecontroller busy", null, null),
                    "edgecontroller busy");
        }
    }

    private void handle(UpstreamRoute route, Message m, Resource r) {
        long started = System.nanoTime();
        try {
            Object result = switch (route) {
                case NODE_INSERT -> nodes.register(m, r);
                case NODE_UPDATE -> nodes.mergeMetadata(m, r);
                case NODE_QUERY -> nodes.query(r);
                case NODE_STATUS -> nodes.updateStatus(m, r);
                case NODE_PATCH -> nodes.patchStatus(m, r);
                case LEASE -> leases.write(m, r);
                case LEASE_QUERY -> leases.query(r);
                case POD_STATUS -> pods.updateStatus(m, r);
                case POD_PATCH -> pods.patchStatus(m, r);
                case POD_DELETE -> pods.delete(m, r);
                case POD_INSERT -> pods.createMirror(m, r);
                case QUERY_CONFIGMAP, QUERY_SECRET -> queries.configMapOrSecret(route, r);
                case QUERY_SERVICE_ACCOUNT_TOKEN -> queries.serviceAccountToken(m, r);
                case QUERY_PERSISTENT_VOLUME -> queries.volume(r);
                case QUERY_PERSISTENT_VOLUME_CLAIM -> queries.claim(r);
                case QUERY_VOLUME_ATTACHMENT -> queries.attachment(r);
                case RULE_STATUS, UNSUPPORTED -> throw new IllegalStateException("not dispatched: " + route);
            };
            counters.increment("upstream." + m.operation() + "." + r.type());
            succeed(m, route, result);
            if (LOG.isDebugEnabled()) { // a request per node every few seconds: no boxing unless asked for
                LOG.debug("{} of {} from node {} handled in {} ms", m.operation(), m.resource(), r.nodeId(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (Refusal e) {
            refuse(m, route, e.getMessage());
        } catch (IllegalArgumentException e) { // MalformedMessageException too: content of the wrong shape
            counters.increment("upstream.malformed");
            LOG.error("malformed {} of {} from node {}: {}", m.operation(), m.resource(), r.nodeId(), e.getMessage());
            fail(m, route, ErrStatus.badRequest("malformed content: " + e.getMessage()), "malformed content: "
                    + e.getMessage());
        } catch (KubernetesClientException e) {
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage();
            if (e.getCode() == 404) {
                counters.increment("upstream.notFound");
                LOG.debug("{} of {} from node {}: {}", m.operation(), m.resource(), r.nodeId(), reason);
            } else {
                counters.increment("upstream.apiErrors");
                LOG.error("API call for {} of {} from node {} failed ({}): {}", m.operation(), m.resource(),
                        r.nodeId(), e.getCode(), reason);
            }
            fail(m, route, ErrStatus.of(e), reason);
        } catch (RuntimeException e) {
            counters.increment("upstream.apiErrors");
            LOG.error("{} of {} from node {} failed", m.operation(), m.resource(), r.nodeId(), e);
            fail(m, route, ErrStatus.internal(e.toString()), e.toString());
        }
    }

    private void succeed(Message m, UpstreamRoute route, Object result) {
        if (result == null) {
            return; // an asynchronous status update: KubeEdge answers only a sync request
        }
        switch (route.answer) {
            case OBJECT_RESP -> answer(Message.responseTo(m, ObjectResp.of(json.tree(result))));
            case OBJECT -> {
                // the object itself with its kind and apiVersion, and its resourceVersion in the header
                Message reply = Message.responseTo(m, json.tree(result));
                String version = result instanceof HasMetadata h && h.getMetadata() != null
                        ? h.getMetadata().getResourceVersion() : null;
                answer(version == null ? reply : reply.withResourceVersion(version));
            }
            case OK -> answer(Message.responseTo(m, result instanceof String s ? s : json.tree(result)));
            case NONE -> { }
        }
    }

    private void refuse(Message m, UpstreamRoute route, String reason) {
        counters.increment("upstream.refused");
        LOG.warn("refused {} of {}: {}", m.operation(), m.resource(), reason);
        fail(m, route, ErrStatus.forbidden(reason), reason);
    }

    /** KubeEdge's failure shape for the route: a StatusError where an object was expected, else an error message. */
    private void fail(Message m, UpstreamRoute route, ObjectNode errStatus, String reason) {
        switch (route.answer) {
            case OBJECT_RESP -> answer(Message.responseTo(m, ErrStatus.inObjectResp(errStatus)));
            case OBJECT -> answer(Message.responseTo(m, errStatus));
            case OK -> answer(Message.errorTo(m, reason));
            case NONE -> { }
        }
    }

    private void answer(Message reply) {
        // KubeEdge's EdgeController answers as itself in group resource, whatever group the edge asked in (MetaManager
        // forwards edged's requests in group meta): the edge routes by group, and CloudHub ack-queues objects by it
        Message response = new Message(reply.header(), new MessageRoute(ModuleNames.EDGECONTROLLER, "",
                ModuleNames.ROUTE_RESOURCE, reply.operation(), reply.resource()), reply.content());
        try {
            bus.send(ModuleNames.CLOUDHUB, response);
        } catch (BusException e) {
            counters.increment("upstream.answerFailed");
            LOG.error("answer to {} ({}) not handed to CloudHub: {}", response.parentId(), response.resource(),
                    e.getMessage());
        }
    }
}

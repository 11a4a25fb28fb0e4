package dev.kedge.cloud.controller.internal;

import dev.kedge.core.Message;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** An edge's own Lease in kube-node-lease: read (a v1.15 kubelet gets it first), created or renewed. */
final class LeaseRequests {
    private final KubernetesClient client;
    private final KubeJson json;
    private final NamedCounters counters;

    LeaseRequests(KubernetesClient client, KubeJson json, NamedCounters counters) {
        this.client = client;
        this.json = json;
        this.counters = counters;
    }

    /** Missing: the API's 404, which KubeEdge's edge tests with {@code apierrors.IsNotFound} and then creates it. */
    Lease query(Resource r) {
        Lease lease = client.leases().inNamespace(r.namespace()).withName(r.name()).get();
        if (lease == null) {
            throw Conflicts.notFound("leases.coordination.k8s.io", r.name());
        }
        return lease;
    }

    /** KubeEdge's create-or-update of the Lease as sent. */
    Lease write(Message m, Resource r) {
        Lease incoming = json.read(m, Lease.class);
        String knownVersion = incoming.getMetadata() == null ? null : incoming.getMetadata().getResourceVersion();
        if (knownVersion != null && !knownVersion.isEmpty()) {
            // the edge renews with the version it was last answered (as kubelet PUTs its cached Lease): one request
            // per renewal instead of a GET and a PUT; a conflict or a missing Lease falls back to read-then-write
            Lease direct = new LeaseBuilder().withNewMetadata().withName(r.name()).withNamespace(r.namespace())
                    .withResourceVersion(knownVersion).withLabels(incoming.getMetadata().getLabels())
                    .withOwnerReferences(incoming.getMetadata().getOwnerReferences()).endMetadata()
                    .withSpec(incoming.getSpec()).build();
            try {
                return client.leases().inNamespace(r.namespace()).resource(direct).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
                counters.increment("upstream.lease.staleVersion");
            }
        }
        return Conflicts.retry(() -> {
            var leases = client.leases().inNamespace(r.namespace());
            Lease existing = leases.withName(r.name()).get();
            if (existing == null) {
                ObjectMeta meta = incoming.getMetadata() == null ? new ObjectMeta() : incoming.getMetadata();
                Lease fresh = new LeaseBuilder().withNewMetadata().withName(r.name()).withNamespace(r.namespace())
                        .withLabels(meta.getLabels()).withOwnerReferences(meta.getOwnerReferences()).endMetadata()
                        .withSpec(incoming.getSpec()).build();
                return leases.resource(fresh).create();
            }
            existing.setSpec(incoming.getSpec());
            return leases.resource(existing).update();
        });
    }
}

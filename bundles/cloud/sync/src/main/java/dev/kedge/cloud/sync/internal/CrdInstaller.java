package dev.kedge.cloud.sync.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceStatus;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Installs (creates or updates) the two CRDs with KubeEdge's schema ({@code build/crds/reliablesyncs}: spec
 * {@code objectAPIVersion, objectKind, objectName}, status {@code objectResourceVersion}, status subresource) and
 * waits until the API server serves them.
 */
final class CrdInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(CrdInstaller.class);
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private CrdInstaller() {
    }

    static CustomResourceDefinition definition(SyncKind k) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(k.crdName()).withLabels(new HashMap<>(Map.of(MANAGED_BY, "kedge"))).endMetadata()
                .withNewSpec().withGroup(SyncKind.GROUP).withScope(k.namespaced ? "Namespaced" : "Cluster")
                .withNewNames().withKind(k.kind).withListKind(k.kind + "List").withPlural(k.plural)
                .withSingular(k.singular).endNames()
                .addNewVersion().withName(SyncKind.VERSION).withServed(true).withStorage(true)
                .withNewSubresources().withStatus(new CustomResourceSubresourceStatus()).endSubresources()
                .withNewSchema().withOpenAPIV3Schema(schema(k)).endSchema()
                .endVersion()
                .endSpec().build();
    }

    private static JSONSchemaProps schema(SyncKind k) {
        return new JSONSchemaPropsBuilder().withType("object")
                .withDescription(k.kind + " stores the state of the object that was successfully persisted to the"
                        + " edge node; its name is <node name>.<object UID>.")
                .addToProperties("apiVersion", string("APIVersion of this representation of an object."))
                .addToProperties("kind", string("Kind of the REST resource this object represents."))
                .addToProperties("metadata", new JSONSchemaPropsBuilder().withType("object").build())
                .addToProperties("spec", new JSONSchemaPropsBuilder().withType("object")
                        .withDescription("The object that persists to the edge.")
                        .addToProperties("objectAPIVersion", string("APIVersion of the object persisted to the edge node."))
                        .addToProperties("objectKind", string("Kind of the object persisted to the edge node."))
                        .addToProperties("objectName", string("Name of the object persisted to the edge node."))
                        .build())
                .addToProperties("status", new JSONSchemaPropsBuilder().withType("object")
                        .withDescription("The resourceVersion of the object that persists to the edge.")
                        .addToProperties("objectResourceVersion",
                                string("resourceVersion of the object persisted to the edge node."))
                        .build())
                .build();
    }

    private static JSONSchemaProps string(String description) {
        return new JSONSchemaPropsBuilder().withType("string").withDescription(description).build();
    }

    /** Creates or updates both CRDs, then waits for Established; throws on failure or timeout. */
    static void install(KubernetesClient client, long establishedTimeoutSeconds) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        for (SyncKind k : SyncKind.values()) {
            CustomResourceDefinition wanted = definition(k);
            CustomResourceDefinition existing = crds.withName(k.crdName()).get();
            if (existing == null) {
                crds.resource(wanted).create();
                LOG.info("CRD {} created", k.crdName());
            } else {
                // ours now: replace the spec as a whole (optimistic lock on the version we read)
                wanted.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                wanted.getMetadata().setAnnotations(existing.getMetadata().getAnnotations());
                if (existing.getMetadata().getLabels() != null) {
                    existing.getMetadata().getLabels().forEach(wanted.getMetadata().getLabels()::putIfAbsent);
                }
                crds.resource(wanted).update();
                LOG.debug("CRD {} updated", k.crdName());
            }
        }
        for (SyncKind k : SyncKind.values()) {
            crds.withName(k.crdName()).waitUntilCondition(CrdInstaller::established, establishedTimeoutSeconds,
                    TimeUnit.SECONDS);
        }
        LOG.info("CRDs {} and {} established", SyncKind.OBJECT_SYNC.crdName(), SyncKind.CLUSTER_OBJECT_SYNC.crdName());
    }

    /** Both CRDs exist and are served (what a replica that does not lead waits for). */
    static boolean served(KubernetesClient client) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        for (SyncKind k : SyncKind.values()) {
            if (!established(crds.withName(k.crdName()).get())) {
                return false;
            }
        }
        return true;
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}

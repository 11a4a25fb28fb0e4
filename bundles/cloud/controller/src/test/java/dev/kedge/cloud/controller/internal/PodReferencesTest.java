package dev.kedge.cloud.controller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class PodReferencesTest {

    static Pod pod(String ns, String name, String node) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewVolume().withName("v1").withNewConfigMap().withName("cm-vol").endConfigMap().endVolume()
                .addNewVolume().withName("v2").withNewSecret().withSecretName("sec-vol").endSecret().endVolume()
                .addNewVolume().withName("v3").withNewProjected()
                    .addNewSource().withNewConfigMap().withName("cm-proj").endConfigMap().endSource()
                    .addNewSource().withNewSecret().withName("sec-proj").endSecret().endSource()
                .endProjected().endVolume()
                .addNewInitContainer().withName("init").addNewEnv().withName("A").withNewValueFrom()
                    .withNewConfigMapKeyRef().withName("cm-env").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv()
                .endInitContainer()
                .addNewContainer().withName("c").addNewEnv().withName("B").withNewValueFrom()
                    .withNewSecretKeyRef().withName("sec-env").withKey("k").endSecretKeyRef().endValueFrom().endEnv()
                    .addNewEnv().withName("PLAIN").withValue("x").endEnv()
                    .addNewEnvFrom().withNewConfigMapRef().withName("cm-envfrom").endConfigMapRef().endEnvFrom()
                    .addNewEnvFrom().withNewSecretRef().withName("sec-envfrom").endSecretRef().endEnvFrom()
                    .addNewEnvFrom().withNewConfigMapRef().withName("cm-vol").endConfigMapRef().endEnvFrom()
                .endContainer()
                .addNewImagePullSecret("pull").endSpec().build();
    }

    @Test
    void findsEveryKindOfReferenceOnce() {
        Set<ObjectRef> refs = PodReferences.of(pod("ns1", "p", "n1"));
        assertEquals(List.of(cm("cm-vol"), sec("sec-vol"), cm("cm-proj"), sec("sec-proj"), cm("cm-env"),
                sec("sec-env"), cm("cm-envfrom"), sec("sec-envfrom"), sec("pull")), List.copyOf(refs));
    }

    @Test
    void podWithoutSpecReferencesNothing() {
        assertTrue(PodReferences.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()).isEmpty());
    }

    @Test
    void indexKeepsNodesPerReferenceUntilTheLastPodGoes() {
        ReferenceIndex index = new ReferenceIndex();
        index.put("ns1/a", "n1", Set.of(cm("shared"), sec("only-a")));
        index.put("ns1/b", "n1", Set.of(cm("shared")));
        index.put("ns1/c", "n2", Set.of(cm("shared")));
        assertEquals(Set.of("n1", "n2"), index.nodesFor(cm("shared")));
        assertEquals(Set.of("n1"), index.nodesFor(sec("only-a")));

        index.remove("ns1/a");
        assertEquals(Set.of("n1", "n2"), index.nodesFor(cm("shared")), "pod b on n1 still needs it");
        assertEquals(Set.of(), index.nodesFor(sec("only-a")));

        index.remove("ns1/b");
        assertFalse(index.referencedBy(cm("shared"), "n1"));
        assertTrue(index.referencedBy(cm("shared"), "n2"));

        index.put("ns1/c", "n2", Set.of(sec("other"))); // an update replaces the pod's references
        assertEquals(Set.of(), index.nodesFor(cm("shared")));
        assertEquals(1, index.size());

        index.put("ns1/d", "", Set.of(cm("x"))); // unbound pods are not indexed
        assertEquals(Set.of(), index.nodesFor(cm("x")));
    }

    private static ObjectRef cm(String name) {
        return new ObjectRef(ObjectRef.CONFIGMAP, "ns1", name);
    }

    private static ObjectRef sec(String name) {
        return new ObjectRef(ObjectRef.SECRET, "ns1", name);
    }
}

package dev.kedge.cloud.controller.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;

/** The configmaps and secrets a pod needs on its node: what KubeEdge pushes before the pod. */
final class PodReferences {
    private PodReferences() {
    }

    /** In spec order (volumes, env, envFrom, image pull secrets), without duplicates. */
    static Set<ObjectRef> of(Pod pod) {
        Set<ObjectRef> refs = new LinkedHashSet<>();
        PodSpec spec = pod.getSpec();
        if (spec == null || pod.getMetadata() == null) {
            return refs;
        }
        String ns = pod.getMetadata().getNamespace();
        for (Volume v : list(spec.getVolumes())) {
            if (v.getConfigMap() != null) {
                add(refs, ObjectRef.CONFIGMAP, ns, v.getConfigMap().getName());
            }
            if (v.getSecret() != null) {
                add(refs, ObjectRef.SECRET, ns, v.getSecret().getSecretName());
            }
            if (v.getProjected() != null) {
                for (VolumeProjection p : list(v.getProjected().getSources())) {
                    if (p.getConfigMap() != null) {
                        add(refs, ObjectRef.CONFIGMAP, ns, p.getConfigMap().getName());
                    }
                    if (p.getSecret() != null) {
                        add(refs, ObjectRef.SECRET, ns, p.getSecret().getName());
                    }
                }
            }
        }
        List<Container> containers = new ArrayList<>(list(spec.getInitContainers()));
        containers.addAll(list(spec.getContainers()));
        for (Container c : containers) {
            addEnv(refs, ns, c.getEnv(), c.getEnvFrom());
        }
        for (EphemeralContainer c : list(spec.getEphemeralContainers())) {
            addEnv(refs, ns, c.getEnv(), c.getEnvFrom());
        }
        for (LocalObjectReference s : list(spec.getImagePullSecrets())) {
            add(refs, ObjectRef.SECRET, ns, s.getName());
        }
        return refs;
    }

    private static void addEnv(Set<ObjectRef> refs, String ns, List<EnvVar> env, List<EnvFromSource> envFrom) {
        for (EnvVar e : list(env)) {
            if (e.getValueFrom() == null) {
                continue;
            }
            if (e.getValueFrom().getConfigMapKeyRef() != null) {
                add(refs, ObjectRef.CONFIGMAP, ns, e.getValueFrom().getConfigMapKeyRef().getName());
            }
            if (e.getValueFrom().getSecretKeyRef() != null) {
                add(refs, ObjectRef.SECRET, ns, e.getValueFrom().getSecretKeyRef().getName());
            }
        }
        for (EnvFromSource e : list(envFrom)) {
            if (e.getConfigMapRef() != null) {
                add(refs, ObjectRef.CONFIGMAP, ns, e.getConfigMapRef().getName());
            }
            if (e.getSecretRef() != null) {
                add(refs, ObjectRef.SECRET, ns, e.getSecretRef().getName());
            }
        }
    }

    private static void add(Set<ObjectRef> refs, String type, String ns, String name) {
        if (name != null && !name.isEmpty()) {
            refs.add(new ObjectRef(type, ns, name));
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}

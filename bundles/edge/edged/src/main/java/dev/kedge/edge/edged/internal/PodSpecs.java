package dev.kedge.edge.edged.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.edged.internal.spec.ContainerSpecFactory;
import dev.kedge.edge.edged.internal.spec.ImagePuller;
import dev.kedge.edge.edged.internal.spec.ObjectSource;
import dev.kedge.edge.edged.internal.spec.PodSpecException;
import dev.kedge.edge.edged.internal.spec.ProbeResult;
import dev.kedge.edge.edged.internal.spec.Prober;
import dev.kedge.edge.edged.internal.spec.VolumeManager;

/**
 * The pod spec translation the lifecycle uses (package {@code spec}): sandbox and container specs, images, volumes,
 * probes. One seam, so that the lifecycle's unit tests can run with a runtime fake; production binds the
 * {@code spec} classes to the runtime of the moment ({@link #of}).
 */
interface PodSpecs {

    SandboxSpec sandbox(JsonNode pod, int attempt, String logDirectory);

    ContainerSpec container(JsonNode pod, JsonNode container, int attempt, String imageRef, Map<String, Path> volumes,
            String podIP, String hostIP, String nodeName) throws PodSpecException;

    String ensureImage(JsonNode pod, JsonNode container) throws PodSpecException;

    Map<String, Path> setUpVolumes(JsonNode pod) throws PodSpecException;

    /** Releases what a deleted pod held here: its volumes and its image pull back-off. */
    void tearDown(String podUid);

    ProbeResult probe(JsonNode probe, JsonNode container, String containerId, String podIP);

    /** The {@code spec} classes for {@code runtime}. */
    static PodSpecs of(ContainerRuntime runtime, Path podsDirectory, ObjectSource objects, Clock clock) {
        // with the pods directory: kubelet's managed /etc/hosts and termination-message files
        ContainerSpecFactory factory = new ContainerSpecFactory(objects, podsDirectory);
        ImagePuller images = new ImagePuller(runtime, clock, objects); // with the pods' imagePullSecrets
        VolumeManager volumes = new VolumeManager(podsDirectory, objects);
        Prober prober = new Prober(runtime);
        return new PodSpecs() {
            @Override
            public SandboxSpec sandbox(JsonNode pod, int attempt, String logDirectory) {
                return factory.sandbox(pod, attempt, logDirectory);
            }

            @Override
            public ContainerSpec container(JsonNode pod, JsonNode container, int attempt, String imageRef,
                    Map<String, Path> vols, String podIP, String hostIP, String nodeName) throws PodSpecException {
                return factory.container(pod, container, attempt, imageRef, vols, podIP, hostIP, nodeName);
            }

            @Override
            public String ensureImage(JsonNode pod, JsonNode container) throws PodSpecException {
                return images.ensure(pod, container);
            }

            @Override
            public Map<String, Path> setUpVolumes(JsonNode pod) throws PodSpecException {
                return volumes.setUp(pod);
            }

            @Override
            public void tearDown(String podUid) {
                volumes.tearDown(podUid);
                images.forget(podUid);
            }

            @Override
            public ProbeResult probe(JsonNode probe, JsonNode container, String containerId, String podIP) {
                return prober.probe(probe, container, containerId, podIP);
            }
        };
    }
}

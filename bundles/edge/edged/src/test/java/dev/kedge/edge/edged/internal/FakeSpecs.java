package dev.kedge.edge.edged.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.edged.internal.spec.PodSpecException;
import dev.kedge.edge.edged.internal.spec.ProbeResult;

/**
 * The spec translation reduced to what the lifecycle tests need: images named {@code never/...} fail as
 * ErrImageNeverPull, probes answer through {@link #probes}, volume set-ups and tear-downs are recorded.
 */
final class FakeSpecs implements PodSpecs {
    final List<String> volumeSetUps = new CopyOnWriteArrayList<>();
    final List<String> tearDowns = new CopyOnWriteArrayList<>();
    volatile Function<JsonNode, ProbeResult> probes = p -> new ProbeResult(true, "");

    @Override
    public SandboxSpec sandbox(JsonNode pod, int attempt, String logDirectory) {
        return new SandboxSpec(PodJson.name(pod), PodJson.namespace(pod), PodJson.uid(pod), attempt, "",
                logDirectory, PodJson.hostNetwork(pod), Map.of(), Map.of(), List.of(), "", List.of(), List.of(),
                List.of());
    }

    @Override
    public ContainerSpec container(JsonNode pod, JsonNode container, int attempt, String imageRef,
            Map<String, Path> volumes, String podIP, String hostIP, String nodeName) {
        String name = PodJson.containerName(container);
        return new ContainerSpec(name, attempt, imageRef, List.of(), List.of(), "", List.of(), List.of(), Map.of(),
                Map.of(), name + "/" + attempt + ".log", LinuxResources.NONE, null, false, false, false, false);
    }

    @Override
    public String ensureImage(JsonNode pod, JsonNode container) throws PodSpecException {
        String image = container.path("image").asText();
        if (image.startsWith("never/")) {
            throw new PodSpecException(PodSpecException.ERR_IMAGE_NEVER_PULL, "Container image \"" + image
                    + "\" is not present with pull policy of Never");
        }
        return image;
    }

    @Override
    public Map<String, Path> setUpVolumes(JsonNode pod) {
        volumeSetUps.add(PodJson.uid(pod));
        return Map.of();
    }

    @Override
    public void tearDown(String podUid) {
        tearDowns.add(podUid);
    }

    @Override
    public ProbeResult probe(JsonNode probe, JsonNode container, String containerId, String podIP) {
        return probes.apply(probe);
    }
}

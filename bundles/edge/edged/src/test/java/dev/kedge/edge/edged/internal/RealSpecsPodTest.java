package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Operations;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.KeyValue;
import dev.kedge.edge.cri.Mount;

/**
 * The lifecycle with the real spec translation: a pod's ConfigMap is read the KubeEdge way (a {@code query} to
 * MetaManager), its data reaches the container's environment and a volume's files.
 */
@Timeout(30)
class RealSpecsPodTest {
    @TempDir
    Path dir;

    @Test
    void aConfigMapReadThroughMetaManagerFeedsEnvAndVolume() throws Exception {
        FakeMetaManager bus = new FakeMetaManager();
        bus.meta.put("default/configmap/cfg", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
                + "\"cfg\",\"namespace\":\"default\",\"uid\":\"cm-1\"},\"data\":{\"greeting\":\"hello\"}}");
        MutableClock clock = new MutableClock();
        try (PodHarness h = new PodHarness(dir, bus, null, clock, true).start()) {
            ObjectNode pod = PodHarness.pod("cfgpod", "uid-cfg", "app");
            ObjectNode c = (ObjectNode) pod.at("/spec/containers/0");
            c.putArray("env").addObject().put("name", "GREETING").putObject("valueFrom")
                    .putObject("configMapKeyRef").put("name", "cfg").put("key", "greeting");
            c.putArray("volumeMounts").addObject().put("name", "conf").put("mountPath", "/etc/cfg");
            ((ObjectNode) pod.get("spec")).putArray("volumes").addObject().put("name", "conf")
                    .putObject("configMap").put("name", "cfg");
            h.send("insert", pod);
            JsonNode status = h.awaitStatus("cfgpod", s -> "Running".equals(s.path("phase").asText()), "Running");
            assertEquals("BestEffort", status.path("qosClass").asText());

            ContainerSpec spec = h.runtime.created.get(0);
            assertTrue(spec.env().contains(new KeyValue("GREETING", "hello")), spec.env().toString());
            Mount m = spec.mounts().stream().filter(x -> x.containerPath().equals("/etc/cfg")).findFirst()
                    .orElseThrow();
            assertEquals("hello", Files.readString(Path.of(m.hostPath()).resolve("greeting")));
            assertTrue(m.hostPath().startsWith(dir.resolve("pods").resolve("uid-cfg").toString()), m.hostPath());
            assertTrue(bus.calls("sync", x -> Operations.QUERY.equals(x.operation())
                    && x.resource().equals("default/configmap/cfg")).size() >= 1, "queried through MetaManager");
        }
    }

    @Test
    void aChangedContainerSpecRecreatesTheContainer() throws Exception {
        try (PodHarness h = new PodHarness(dir, new FakeMetaManager(), null, new MutableClock(), true).start()) {
            ObjectNode pod = PodHarness.pod("upd", "uid-upd", "app");
            h.send("insert", pod);
            h.awaitStatus("upd", s -> "Running".equals(s.path("phase").asText()), "Running");
            String first = h.runtime.containers(dev.kedge.edge.cri.ContainerState.RUNNING).get(0).id();
            ObjectNode updated = pod.deepCopy();
            ((ObjectNode) updated.at("/spec/containers/0")).put("image", "docker.io/library/kedge-busybox:2");
            h.send("update", updated);
            JsonNode status = h.awaitStatus("upd", s -> PodHarness.container(s, "app").path("image").asText()
                    .endsWith(":2") && PodHarness.container(s, "app").path("state").has("running"), "recreated");
            assertEquals(1, PodHarness.container(status, "app").path("restartCount").asInt());
            assertTrue(h.runtime.stops.stream().anyMatch(x -> x.containerId().equals(first)), "old one stopped");
            assertEquals(1, h.runtime.containers(dev.kedge.edge.cri.ContainerState.RUNNING).size());
        }
    }

    @Test
    void aMissingConfigMapShowsCreateContainerConfigError() throws Exception {
        try (PodHarness h = new PodHarness(dir, new FakeMetaManager(), null, new MutableClock(), true).start()) {
            ObjectNode pod = PodHarness.pod("nocfg", "uid-nocfg", "app");
            ((ObjectNode) pod.at("/spec/containers/0")).putArray("envFrom").addObject().putObject("configMapRef")
                    .put("name", "absent");
            h.send("insert", pod);
            JsonNode status = h.awaitStatus("nocfg", s -> "CreateContainerConfigError".equals(PodHarness
                    .container(s, "app").path("state").path("waiting").path("reason").asText()), "config error");
            assertEquals("Pending", status.path("phase").asText());
        }
    }
}

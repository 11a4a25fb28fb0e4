package dev.kedge.itests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

/**
 * The kill -9 load: N configmaps mounted by one pod on the edge node, updated through the API server at a target rate
 * by a bounded number of threads for a bounded time, with the edge killed part way.
 */
final class KillRun {
    private static final int THREADS = 32;
    private final String namespace;
    private final String node;
    private final int objects;
    private final KubernetesClient client;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private double seconds;
    private double killedAtS = -1;

    private KillRun(String namespace, String node, int objects) {
        this.namespace = namespace;
        this.node = node;
        this.objects = objects;
        this.client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(Config.fromKubeconfig(null, readKubeconfig(), System.getenv("KUBECONFIG"))).build();
    }

    static KillRun start(String namespace, String node, int objects) {
        KillRun run = new KillRun(namespace, node, objects);
        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            run.client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(name(i)).endMetadata().addToData("n", "0").build()).serverSideApply();
            volumes.add(new VolumeBuilder().withName("v" + i).withNewConfigMap().withName(name(i)).endConfigMap()
                    .build());
        }
        run.client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("kill-pod")
                .endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("app")
                .withImage("registry.k8s.io/pause:3.6").endContainer().withVolumes(volumes).endSpec().build())
                .serverSideApply();
        return run;
    }

    int objects() {
        return objects;
    }

    /** Updates round-robin at {@code rate}/s for {@code forSeconds}; runs {@code kill} after {@code killAtSeconds}. */
    void drive(int rate, int forSeconds, Step kill, int killAtSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(forSeconds);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * THREADS / rate;
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            workers.add(pool.submit(() -> {
                long next = System.nanoTime();
                for (int i = first; System.nanoTime() < end; i += THREADS) {
                    String patch = "{\"data\":{\"n\":\"" + i + "\"}}";
                    try {
                        client.configMaps().inNamespace(namespace).withName(name(i % objects))
                                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                        updates.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    next += periodNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                return null;
            }));
        }
        TimeUnit.SECONDS.sleep(killAtSeconds);
        killedAtS = (System.nanoTime() - start) / 1e9;
        kill.run();
        for (Future<?> w : workers) {
            w.get(forSeconds + 60L, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        seconds = (System.nanoTime() - start) / 1e9;
    }

    /** Object name → acked resourceVersion, from this node's ObjectSyncs; null until two reads 3 s apart agree. */
    Map<String, Long> ackedVersions() throws Exception {
        Map<String, Long> first = readObjectSyncs();
        TimeUnit.SECONDS.sleep(3);
        Map<String, Long> second = readObjectSyncs();
        return first.equals(second) ? second : null;
    }

    private Map<String, Long> readObjectSyncs() throws Exception {
        Map<String, Long> out = new HashMap<>();
        JsonNode list = Kubectl.get("objectsyncs.reliablesyncs.kubeedge.io", "-n", namespace);
        for (JsonNode os : list.path("items")) {
            String objectName = os.path("spec").path("objectName").asText();
            if (os.path("metadata").path("name").asText().startsWith(node + ".") && objectName.startsWith("kill-")
                    && "ConfigMap".equals(os.path("spec").path("objectKind").asText())) {
                out.put(objectName, os.path("status").path("objectResourceVersion").asLong(0));
            }
        }
        return out;
    }

    Map<String, Long> liveVersions() {
        Map<String, Long> out = new HashMap<>();
        for (ConfigMap cm : client.configMaps().inNamespace(namespace).list().getItems()) {
            if (cm.getMetadata().getName().startsWith("kill-")) {
                out.put(cm.getMetadata().getName(), Long.parseLong(cm.getMetadata().getResourceVersion()));
            }
        }
        return out;
    }

    String summary() {
        return String.format("updates=%d failed=%d seconds=%.1f rate=%.0f/s killedAt=%.1fs", updates.get(),
                failures.get(), seconds, updates.get() / seconds, killedAtS);
    }

    private static String name(int i) {
        return "kill-" + i;
    }

    private static String readKubeconfig() {
        try {
            return java.nio.file.Files.readString(Path.of(System.getenv("KUBECONFIG")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("KUBECONFIG unreadable", e);
        }
    }

    interface Step {
        void run() throws Exception;
    }
}

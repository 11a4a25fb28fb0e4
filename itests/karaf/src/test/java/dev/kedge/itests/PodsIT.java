package dev.kedge.itests;

import static dev.kedge.itests.EdgeNodeIT.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue #8 end to end, as a cluster admin sees it: a real kube-apiserver, a real containerd + runc, the cloud and the
 * edge distribution as processes. Pods are applied with kubectl and run in real containers (seen with containerd's
 * own {@code ctr}); their status comes back to the API. Every pod is hostNetwork: no test traffic goes to pod IPs.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class PodsIT {
    static final String PW = "pods-test-Pw-1";
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String NODE = "pods-" + RUN;
    static final String NS = "pods-it-" + RUN;
    static final String IMAGE = "docker.io/library/kedge-busybox:1";

    static KedgeProcess cloud;
    static KedgeProcess edge;

    @BeforeClass
    public static void startAndJoin() throws Exception {
        JoinedPair pair = JoinedPair.unpack("pods", PW);
        cloud = pair.cloud;
        edge = pair.edge;
        Kubectl.tryRun("create", "namespace", NS);
        pair.startAndJoin(NODE);
        await("node " + NODE + " Ready", 60, () -> {
            JsonNode n = Kubectl.get("node", NODE);
            return n != null && "True".equals(Kubectl.condition(n, "Ready")) ? n : null;
        });
    }

    @AfterClass
    public static void stopBoth() throws Exception {
        try (KedgeProcess e = edge; KedgeProcess c = cloud) {
            Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
            Kubectl.tryRun("delete", "node", NODE, "--wait=false");
        }
        // pods the edge did not get to remove (a failed test) must not outlive the run
        if (edge != null) {
            for (String id : Ctr.runningTasks()) {
                if (Ctr.tryRun("containers", "info", id).output().contains(NS)) {
                    Ctr.tryRun("tasks", "kill", "-s", "SIGKILL", id);
                }
            }
        }
    }

    @Test
    public void t1_aPodRunsInARealContainerWithItsEnvAndVolumes() throws Exception {
        Kubectl.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config, namespace: " + NS + "}\n"
                + "data: {greeting: hello-edge}\n---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: app-secret, namespace: " + NS + "}\n"
                + "stringData: {password: s3cret}\n");
        long t0 = System.nanoTime();
        Kubectl.apply(pod("web", "    command: [sh, -c, 'echo started; exec sleep 2147483647']\n"
                + "    env:\n"
                + "    - {name: GREETING, valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}}\n"
                + "    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n"
                + "    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}\n"
                + "    - {name: BOTH, value: '$(POD_NAME)@$(NODE)'}\n"
                + "    envFrom: [{secretRef: {name: app-secret}, prefix: SEC_}]\n"
                + "    volumeMounts:\n    - {name: cfg, mountPath: /etc/cfg}\n    - {name: scratch, mountPath: /scratch}\n"
                + "    resources: {requests: {cpu: 100m}, limits: {memory: 64Mi, cpu: 250m}}\n",
                "  volumes:\n  - {name: cfg, configMap: {name: app-config}}\n  - {name: scratch, emptyDir: {}}\n"));
        JsonNode running = awaitPod("web", 60, p -> "Running".equals(p.path("status").path("phase").asText())
                && "True".equals(Kubectl.condition(p, "Ready")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("PODS web Running+Ready in the API " + ms + " ms after kubectl apply returned");
        JsonNode cs = running.path("status").path("containerStatuses").get(0);
        String id = cs.path("containerID").asText();
        assertTrue("containerd:// id: " + cs, id.startsWith("containerd://"));
        id = id.substring("containerd://".length());
        assertTrue("the container runs in containerd: " + id, Ctr.runningTasks().contains(id));
        assertEquals(0, cs.path("restartCount").asInt());
        assertTrue(cs.toString(), cs.path("state").has("running"));
        assertFalse("hostIP set: " + running.path("status"), running.path("status").path("hostIP").asText().isEmpty());
        assertEquals("Burstable", running.path("status").path("qosClass").asText());

        String env = Ctr.exec(id, "env");
        assertTrue(env, env.contains("GREETING=hello-edge"));
        assertTrue(env, env.contains("BOTH=web@" + NODE));
        assertTrue(env, env.contains("SEC_password=s3cret"));
        assertEquals("hello-edge", Ctr.exec(id, "cat", "/etc/cfg/greeting").trim());
        Ctr.exec(id, "sh", "-c", "echo x > /scratch/f && cat /scratch/f");

        // the configmap changes: the mounted file follows (kubelet refreshes volumes; env stays as started)
        Kubectl.run("patch", "configmap", "-n", NS, "app-config", "-p", "{\"data\":{\"greeting\":\"v2\"}}");
        String finalId = id;
        await("configmap file refreshed in the container", 90,
                () -> "v2".equals(Ctr.exec(finalId, "cat", "/etc/cfg/greeting").trim()) ? 1 : null);

        String pods = edge.client("kedge", PW, "edged:pods").output();
        assertTrue(pods, pods.contains("web") && pods.contains("Running"));
        String logs = edge.awaitOutput("kedge", PW, "edged:logs " + NS + "/web", "started", 20);
        assertTrue(logs, logs.contains("started"));
    }

    @Test
    public void t2_readinessGatesReadyAndLivenessRestarts() throws Exception {
        Kubectl.apply(pod("gated", "    command: [sh, -c, 'exec sleep 2147483647']\n"
                + "    readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1}\n", ""));
        JsonNode notReady = awaitPod("gated", 60, p -> "Running".equals(p.path("status").path("phase").asText()));
        assertEquals("not ready before the file exists", "False", Kubectl.condition(notReady, "Ready"));
        String id = containerId(notReady);
        Ctr.exec(id, "touch", "/tmp/ready");
        awaitPod("gated", 30, p -> "True".equals(Kubectl.condition(p, "Ready")));

        Kubectl.apply(pod("lively", "    command: [sh, -c, 'touch /tmp/alive; sleep 4; rm /tmp/alive; exec sleep 2147483647']\n"
                + "    livenessProbe: {exec: {command: [test, -f, /tmp/alive]}, periodSeconds: 1, failureThreshold: 2}\n",
                ""));
        JsonNode restarted = awaitPod("lively", 90, p -> p.path("status").path("containerStatuses").path(0)
                .path("restartCount").asInt() >= 1);
        System.out.println("PODS liveness restart: " + restarted.path("status").path("containerStatuses").get(0)
                .path("lastState"));
    }

    @Test
    public void t3_aCrashingContainerBacksOff() throws Exception {
        Kubectl.apply(pod("crasher", "    command: [sh, -c, 'echo boom; exit 3']\n", ""));
        long t0 = System.nanoTime();
        JsonNode p = awaitPod("crasher", 90, x -> x.path("status").path("containerStatuses").path(0)
                .path("restartCount").asInt() >= 2);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonNode cs = p.path("status").path("containerStatuses").get(0);
        System.out.println("PODS crasher restartCount " + cs.path("restartCount") + " after " + ms + " ms: " + cs);
        // kubelet's CrashLoopBackOff: 10 s before the second restart, so two restarts take at least 10 s
        assertTrue("two restarts took " + ms + " ms: no backoff", ms >= 9_000);
        assertEquals(3, cs.path("lastState").path("terminated").path("exitCode").asInt());
        awaitPod("crasher", 30, x -> "CrashLoopBackOff".equals(x.path("status").path("containerStatuses").path(0)
                .path("state").path("waiting").path("reason").asText()));
    }

    @Test
    public void t4_badSpecsShowTheRightReasonAndLeaveOtherPodsAlone() throws Exception {
        String webId = containerId(Kubectl.get("pod", "-n", NS, "web"));
        Kubectl.apply(pod("no-config", "    command: [sh, -c, 'exec sleep 2147483647']\n"
                + "    env: [{name: X, valueFrom: {configMapKeyRef: {name: does-not-exist, key: k}}}]\n", ""));
        Kubectl.apply(pod("no-image", "", "").replace(IMAGE, "docker.io/library/not-here:1")
                .replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Never"));
        awaitPod("no-config", 60, p -> "CreateContainerConfigError".equals(waitingReason(p)));
        awaitPod("no-image", 60, p -> "ErrImageNeverPull".equals(waitingReason(p)));
        JsonNode web = Kubectl.get("pod", "-n", NS, "web");
        assertEquals("web untouched", webId, containerId(web));
        assertEquals("Running", web.path("status").path("phase").asText());
        Kubectl.run("delete", "pod", "-n", NS, "no-config", "no-image", "--wait=false");
    }

    @Test
    public void t5_killMinusNineOfTheEdgeAdoptsTheRunningContainers() throws Exception {
        String before = containerId(Kubectl.get("pod", "-n", NS, "web"));
        int restarts = Kubectl.get("pod", "-n", NS, "web").path("status").path("containerStatuses").get(0)
                .path("restartCount").asInt();
        edge.kill();
        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        edge.awaitOutput("kedge", PW, "edged:pods", "web", 60);
        Thread.sleep(3_000); // a few relists: anything the edge would wrongly restart has been restarted by now
        JsonNode web = Kubectl.get("pod", "-n", NS, "web");
        assertEquals("same container after the restart", before, containerId(web));
        assertEquals(restarts, web.path("status").path("containerStatuses").get(0).path("restartCount").asInt());
        assertTrue(Ctr.runningTasks().contains(before));
    }

    @Test
    public void t6_aContainerdRestartIsSurvived() throws Exception {
        String before = containerId(Kubectl.get("pod", "-n", NS, "web"));
        Path pidFile = Ctr.base().resolve("containerd.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle old = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("containerd not running"));
        old.destroy();
        old.onExit().get(20, TimeUnit.SECONDS);
        try {
            // the runtime is gone: the node says so (kubelet's rule), the running containers are not touched
            await("the node NotReady without its runtime", 45,
                    () -> "False".equals(Kubectl.condition(Kubectl.get("node", NODE), "Ready")) ? 1 : null);
        } finally {
            Process p = new ProcessBuilder("containerd", "--config", Ctr.base().resolve("containerd.toml").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                            Ctr.base().resolve("logs/containerd.log").toFile())).start();
            Files.writeString(pidFile, p.pid() + "\n"); // test.sh stops containerd by this file
            await("containerd serving again", 30, () -> Ctr.tryRun("version").exitCode() == 0 ? 1 : null);
        }
        await("the node Ready again", 60, () -> "True".equals(Kubectl.condition(Kubectl.get("node", NODE), "Ready")) ? 1 : null);
        Kubectl.apply(pod("after-restart", "    command: [sh, -c, 'exec sleep 2147483647']\n", ""));
        awaitPod("after-restart", 60, x -> "Running".equals(x.path("status").path("phase").asText()));
        assertEquals("the running container was left alone", before, containerId(Kubectl.get("pod", "-n", NS, "web")));
    }

    @Test
    public void t7_withTheCloudAwayAKilledContainerIsRestartedLocallyAndTheStatusCatchesUp() throws Exception {
        JsonNode web = Kubectl.get("pod", "-n", NS, "web");
        String before = containerId(web);
        int restarts = web.path("status").path("containerStatuses").get(0).path("restartCount").asInt();
        cloud.close();
        edge.awaitConsole("kedge", PW, "edgehub:status", "DISCONNECTED", 60);
        Ctr.kill(before);
        await("a new web container started by the edge alone", 60, () -> {
            for (String id : Ctr.runningTasks()) {
                if (!id.equals(before) && Ctr.tryRun("containers", "info", id).output().contains("\"web\"")
                        && Ctr.tryRun("containers", "info", id).output().contains(NS)) {
                    return id;
                }
            }
            return null;
        });
        cloud.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        JsonNode after = awaitPod("web", 60, p -> !before.equals(containerId(p)));
        assertEquals(restarts + 1, after.path("status").path("containerStatuses").get(0).path("restartCount").asInt());
    }

    @Test
    public void t8_aGracefulDeleteStopsTheContainersBeforeThePodIsGone() throws Exception {
        JsonNode web = Kubectl.get("pod", "-n", NS, "web");
        String id = containerId(web);
        long t0 = System.nanoTime();
        Kubectl.run("delete", "pod", "-n", NS, "web", "--grace-period=3", "--wait=false");
        await("pod web gone from the API", 60, () -> Kubectl.get("pod", "-n", NS, "web") == null ? 1 : null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("PODS graceful delete (sleep ignores SIGTERM, grace 3 s) done in " + ms + " ms");
        assertFalse("container gone from containerd", Ctr.runningTasks().contains(id));
        assertTrue("the grace period was honoured: " + ms + " ms", ms >= 2_500);
        List<String> left = new ArrayList<>();
        for (String line : Ctr.run("containers", "ls", "-q").split("\n")) {
            if (line.trim().equals(id)) {
                left.add(line);
            }
        }
        assertTrue("container removed: " + left, left.isEmpty());
    }

    // ---- helpers

    static String pod(String name, String containerExtra, String podExtra) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + NS + "\nspec:\n"
                + "  nodeName: " + NODE + "\n  hostNetwork: true\n  terminationGracePeriodSeconds: 5\n"
                + "  containers:\n  - name: " + name + "\n    image: " + IMAGE + "\n    imagePullPolicy: IfNotPresent\n"
                + containerExtra + podExtra;
    }

    interface PodCheck {
        boolean ok(JsonNode pod) throws Exception;
    }

    static JsonNode awaitPod(String name, int seconds, PodCheck check) throws Exception {
        return await("pod " + name + " as expected", seconds, () -> {
            JsonNode p = Kubectl.get("pod", "-n", NS, name);
            return p != null && check.ok(p) ? p : null;
        });
    }

    static String containerId(JsonNode pod) {
        return pod.path("status").path("containerStatuses").path(0).path("containerID").asText()
                .replaceFirst("^containerd://", "");
    }

    static String waitingReason(JsonNode pod) {
        return pod.path("status").path("containerStatuses").path(0).path("state").path("waiting").path("reason")
                .asText();
    }

}

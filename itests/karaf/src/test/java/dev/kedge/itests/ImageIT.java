package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kedge.core.testing.FreePorts;

/**
 * The cloud's container image as a pod would run it, on the test containerd ({@code ctr}, host network): imported
 * from the tarball the build made, run as uid 65532 with a read-only root filesystem and only its two volumes
 * writable, talking to the test API server through the in-cluster path (service account token, {@code ca.crt},
 * {@code KUBERNETES_SERVICE_HOST/PORT}) with the token of deploy/'s ServiceAccount, so deploy/'s RBAC is what it
 * gets. A Kedge edge distribution (a process) joins it, and a configmap and a pod reach the edge.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ImageIT {
    static final String PW = "image-test-Pw-1";
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String NODE = "edge-img-" + RUN;
    static final String NS = "image-it-" + RUN;
    static final String CONTAINER = "kedge-image-it-" + RUN;
    static final ObjectMapper JSON = new ObjectMapper();

    static Path base;
    static Path log;
    static String image;
    static boolean started;
    static KedgeProcess edge;
    static EdgeDb db;
    static int wsPort;
    static int httpsPort;
    static long startToServingMs;

    @BeforeClass
    public static void importAndRun() throws Exception {
        DeployManifestsIT.requireKubeconfig();
        Ctr.endpoint();
        String tar = System.getProperty("kedge.cloud.image");
        if (tar == null || !Files.isRegularFile(Path.of(tar))) {
            fail("no image tarball at " + tar + ": build it with 'mvn install -Pimage' (scripts/test.sh does)");
        }
        image = System.getProperty("kedge.cloud.image.name");
        base = Path.of("target", "image-it").toAbsolutePath();
        KedgeProcess.deleteTree(base);
        Files.createDirectories(base);

        long size = Files.size(Path.of(tar));
        long unpacked = uncompressedLayers(Path.of(tar));
        long t0 = System.nanoTime();
        Ctr.run("images", "import", tar);
        long importMs = ms(t0);
        System.out.printf("IMAGE %s: tarball %.1f MB (layers gzipped), %.1f MB uncompressed; ctr import %d ms%n", image,
                size / 1e6, unpacked / 1e6, importMs);

        // deploy/'s namespace, service account, rights and CRDs, for real; the container gets the account's token
        Path deploy = DeployManifestsIT.deployDir();
        Kubectl.run("apply", "-f", deploy.resolve("namespace.yaml").toString(), "-f",
                deploy.resolve("serviceaccount.yaml").toString(), "-f", deploy.resolve("rbac.yaml").toString(), "-f",
                deploy.resolve("crds").toString());
        Path sa = serviceAccountFiles();

        Path instance = ownedDir("instance");
        Path tmp = ownedDir("tmp");
        Path conf = Files.createDirectories(base.resolve("conf"));
        wsPort = FreePorts.belowEphemeral();
        httpsPort = FreePorts.belowEphemeral();
        Files.writeString(conf.resolve("dev.kedge.cloud.hub.cfg"), "websocketPort = " + wsPort + "\nhttpsPort = "
                + httpsPort + "\n");
        Files.writeString(conf.resolve("org.apache.karaf.shell.cfg"), "sshPort = " + FreePorts.belowEphemeral()
                + "\nsshHost = 127.0.0.1\nhostKey = ${karaf.etc}/host.key\n");
        String server = Kubectl.run("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}").trim();
        String hostPort = server.replaceFirst("^https://", "");
        log = base.resolve("container.log");

        t0 = System.nanoTime();
        Ctr.run("run", "-d", "--read-only", "--net-host", "--log-uri", "file://" + log,
                "--env", "KUBERNETES_SERVICE_HOST=" + hostPort.substring(0, hostPort.lastIndexOf(':')),
                "--env", "KUBERNETES_SERVICE_PORT=" + hostPort.substring(hostPort.lastIndexOf(':') + 1),
                "--env", "KEDGE_ADMIN_PASSWORD=" + PW,
                "--mount", "type=bind,src=" + instance + ",dst=/var/lib/kedge,options=rbind:rw",
                "--mount", "type=bind,src=" + tmp + ",dst=/tmp,options=rbind:rw",
                "--mount", "type=bind,src=" + conf + ",dst=/etc/kedge,options=rbind:ro",
                "--mount", "type=bind,src=" + sa + ",dst=/var/run/secrets/kubernetes.io/serviceaccount,options=rbind:ro",
                image, CONTAINER);
        started = true;
        EdgeNodeIT.await("CloudHub serving on 127.0.0.1:" + wsPort + " (container log " + log + ")", 120,
                () -> listening(wsPort) ? 1 : null);
        startToServingMs = ms(t0);
        System.out.println("IMAGE container start to CloudHub serving: " + startToServingMs + " ms");
    }

    @AfterClass
    public static void stopAll() throws Exception {
        try (KedgeProcess e = edge) {
            Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
            Kubectl.tryRun("delete", "node", NODE, "--wait=false");
        } finally {
            if (started) {
                stopContainer();
            }
        }
    }

    /** SIGTERM (Karaf stops cleanly), SIGKILL after 30 s; then the task, the container and the image go. */
    static void stopContainer() throws Exception {
        long t0 = System.nanoTime();
        Ctr.tryRun("tasks", "kill", "-s", "SIGTERM", CONTAINER);
        boolean stopped = false;
        while (ms(t0) < 30_000 && !(stopped = !Ctr.runningTasks().contains(CONTAINER))) {
            Thread.sleep(100);
        }
        if (!stopped) {
            Ctr.tryRun("tasks", "kill", "-s", "SIGKILL", CONTAINER);
            Thread.sleep(1000);
        } else {
            System.out.println("IMAGE SIGTERM to stopped container: " + ms(t0) + " ms");
        }
        Ctr.tryRun("tasks", "rm", "-f", CONTAINER);
        Ctr.tryRun("containers", "rm", CONTAINER);
        Ctr.tryRun("images", "rm", image);
    }

    @Test
    public void t1_runsAsNonRootOnAReadOnlyRootWithTheServiceAccount() throws Exception {
        assertEquals("uid=65532(kedge) gid=65532(kedge) groups=65532(kedge)", Ctr.exec(CONTAINER, "id").trim());
        KedgeProcess.Result w = Ctr.tryRun("tasks", "exec", "--exec-id", "w-" + RUN, CONTAINER, "touch", "/opt/kedge/x");
        assertTrue("the distribution is read-only: " + w.output(), w.exitCode() != 0
                && w.output().contains("Read-only file system"));
        String ps = Ctr.exec(CONTAINER, "ps", "-o", "pid,user,args");
        assertTrue("Karaf's JVM is PID 1, as kedge: " + ps, ps.lines().anyMatch(l -> l.trim().matches(
                "1\\s+kedge\\s+/opt/java/bin/java .*")));
        assertTrue("heap sized from the memory limit: " + ps, ps.contains("-XX:MaxRAMPercentage="));
        // containerd copies the container's stdout to the file on its own pace: wait for the line
        EdgeNodeIT.await("the client from the in-cluster service account in " + log, 60,
                () -> Files.readString(log).contains("in-cluster service account") ? 1 : null);
        assertTrue("the cloud wrote its secrets with the account's rights",
                Kubectl.get("secret", "-n", "kubeedge", "tokensecret") != null);
        long rss = rssKiB(Ctr.run("tasks", "ls"));
        System.out.printf("IMAGE container JVM RSS after start: %.0f MiB%n", rss / 1024.0);
    }

    @Test
    public void t2_anEdgeJoinsTheContainerizedCloudAndGetsAConfigMapAndAPod() throws Exception {
        edge = KedgeProcess.unpack("edge", base.resolve("edge"), Map.of("KEDGE_ADMIN_PASSWORD", PW));
        edge.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        edge.writeConfig("dev.kedge.edge.hub", Map.of("heartbeat", "5"));
        String cri = Ctr.endpoint();
        edge.writeConfig("dev.kedge.edge.edged", Map.of("remoteRuntimeEndpoint", cri, "remoteImageEndpoint", cri,
                "rootDirectory", base.resolve("edge-root").toString(),
                "podLogsRootDirectory", base.resolve("edge-logs").toString()));
        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "NOT_JOINED", 120);
        // the token as keadm gettoken reads it: from the cloud's secret
        String token = new String(Base64.getDecoder().decode(Kubectl.run("get", "secret", "-n", "kubeedge",
                "tokensecret", "-o", "jsonpath={.data.tokendata}").trim()));
        long t0 = System.nanoTime();
        String joined = edge.client("kedge", PW, "kedge:join --cloud 127.0.0.1:" + wsPort + " --token " + token
                + " --node-name " + NODE + " --http-server https://127.0.0.1:" + httpsPort).output();
        assertTrue(joined, !joined.toLowerCase().contains("error"));
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 60);
        long joinMs = ms(t0);
        db = EdgeDb.of(edge);
        EdgeNodeIT.await("node " + NODE + " Ready", 60, () -> {
            JsonNode n = Kubectl.get("node", NODE);
            return n != null && "True".equals(Kubectl.condition(n, "Ready")) ? n : null;
        });
        System.out.println("IMAGE edge joined the containerized cloud in " + joinMs + " ms; node " + NODE + " Ready");

        Kubectl.tryRun("create", "namespace", NS);
        t0 = System.nanoTime();
        Kubectl.apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: " + NS
                + "\ndata:\n  setting: from-the-image\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: app-1\n"
                + "  namespace: " + NS + "\nspec:\n  nodeName: " + NODE + "\n  hostNetwork: true\n"
                + "  terminationGracePeriodSeconds: 1\n  containers:\n  - name: app\n"
                + "    image: docker.io/library/kedge-busybox:1\n    imagePullPolicy: IfNotPresent\n"
                + "    command: [sleep, '2147483647']\n    volumeMounts:\n    - name: cfg\n      mountPath: /cfg\n"
                + "  volumes:\n  - name: cfg\n    configMap:\n      name: app-config\n");
        EdgeNodeIT.await("pod row at the edge", 30, () -> db.get(NS + "/pod/app-1"));
        // the configmap comes on its own (pushed with the pod, or fetched when Edged mounts it): not always first
        JsonNode cm = EdgeNodeIT.await("configmap row at the edge", 30, () -> db.get(NS + "/configmap/app-config"));
        long podMs = ms(t0);
        assertNotNull("the configmap reached the edge", cm);
        assertEquals("from-the-image", cm.path("data").path("setting").asText());
        EdgeNodeIT.await("pod Running in the API", 60, () -> "Running".equals(Kubectl.get("pod", "-n", NS, "app-1")
                .path("status").path("phase").asText()) ? 1 : null);
        System.out.println("IMAGE configmap + pod in the edge's meta table " + podMs + " ms after kubectl apply; pod "
                + "Running (status written through the containerized cloud) after " + ms(t0) + " ms");
        String objectSyncs = Kubectl.run("get", "objectsyncs", "-n", NS, "-o", "name");
        assertTrue("ObjectSyncs written with the account's rights: " + objectSyncs, objectSyncs.contains(NODE));
        String errors = String.join("\n", Files.readString(log).lines()
                .filter(l -> l.contains("Forbidden") || l.contains("forbidden")).limit(5).toList());
        assertEquals("no call of the cloud was forbidden by deploy/'s RBAC", "", errors);
    }

    private static Path serviceAccountFiles() throws Exception {
        Path req = base.resolve("tokenrequest.json");
        Files.writeString(req, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                + "\"spec\":{\"expirationSeconds\":3600}}");
        String answer = Kubectl.run("create", "--raw",
                "/api/v1/namespaces/kubeedge/serviceaccounts/kedge-cloud/token", "-f", req.toString());
        String token = JSON.readTree(answer).path("status").path("token").asText();
        assertTrue("a token for kubeedge/kedge-cloud: " + answer, !token.isEmpty());
        // the API server's own (self-signed) serving certificate is the CA a pod would be given
        String run = System.getenv("KUBE_RUN");
        Path cert = run == null ? null : Path.of(run, "certs", "apiserver.crt");
        if (cert == null || !Files.isRegularFile(cert)) {
            fail("KUBE_RUN must name the test API server's folder with certs/apiserver.crt (scripts/test.sh exports it); got "
                    + run);
        }
        Path sa = Files.createDirectories(base.resolve("serviceaccount"));
        Files.writeString(sa.resolve("token"), token);
        Files.copy(cert, sa.resolve("ca.crt"));
        Files.writeString(sa.resolve("namespace"), "kubeedge");
        return sa;
    }

    /** A host folder the container's user (65532) can write, as an emptyDir with fsGroup would be. */
    private static Path ownedDir(String name) throws Exception {
        Path dir = Files.createDirectories(base.resolve(name));
        KedgeProcess.Result r = KedgeProcess.run(base, List.of("chown", "65532:65532", dir.toString()), Map.of(), 10);
        assertEquals("chown: " + r.output(), 0, r.exitCode());
        return dir;
    }

    private static long uncompressedLayers(Path tar) throws Exception {
        Path dir = Files.createDirectories(base.resolve("image-layers"));
        KedgeProcess.Result r = KedgeProcess.run(dir, List.of("tar", "xf", tar.toString()), Map.of(), 60);
        assertEquals(r.output(), 0, r.exitCode());
        long total = 0;
        byte[] buf = new byte[1 << 16];
        List<Path> layers = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".tar.gz")).forEach(layers::add);
        }
        for (Path layer : layers) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
                for (int n; (n = in.read(buf)) > 0;) {
                    total += n;
                }
            }
        }
        KedgeProcess.deleteTree(dir);
        return total;
    }

    private static long rssKiB(String tasks) throws Exception {
        for (String line : tasks.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(CONTAINER)) {
                for (String s : Files.readAllLines(Path.of("/proc", f[1], "status"))) {
                    if (s.startsWith("VmRSS:")) {
                        return Long.parseLong(s.replaceAll("\\D", ""));
                    }
                }
            }
        }
        throw new AssertionError("no task " + CONTAINER + " in " + tasks);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}

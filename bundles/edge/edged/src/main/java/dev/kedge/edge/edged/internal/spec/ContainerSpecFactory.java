package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.json.Json;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.KeyValue;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.Mount;
import dev.kedge.edge.cri.PortMapping;
import dev.kedge.edge.cri.SandboxSpec;

/**
 * Turns v1.Pod JSON into CRI sandbox and container specs the way kubelet's kuberuntime does: identity labels,
 * hostname and DNS, port mappings; command/args/env with {@code $(VAR)} expansion, envFrom/valueFrom, mounts with
 * subPath, security context basics, Linux resources, and kubelet's container annotations (hash, restart count …).
 * Given the pods directory it also writes kubelet's managed {@code /etc/hosts} and the termination message file.
 * Stateless apart from its {@link ObjectSource}: safe to call from several pod workers at once.
 */
public final class ContainerSpecFactory {
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
    public static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
    public static final String TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
    public static final String PRE_STOP_HANDLER = "io.kubernetes.container.preStopHandler";
    public static final String CONTAINER_PORTS = "io.kubernetes.container.ports";
    private static final Path NODE_HOSTS = Path.of("/etc/hosts");

    private final Environment environment;
    private final Resources.Capacity node;
    private final Path resolvConf;
    private final Path podsRoot;

    /** Without a pods directory: containers get the runtime's {@code /etc/hosts}. */
    public ContainerSpecFactory(ObjectSource objects) {
        this(objects, null);
    }

    /**
     * With {@code podsRoot} (the {@link VolumeManager}'s): containers of a pod with an IP get kubelet's managed
     * {@code /etc/hosts}, {@code <podsRoot>/<uid>/etc-hosts}.
     */
    public ContainerSpecFactory(ObjectSource objects, Path podsRoot) {
        this(objects, Resources.Capacity.detect(), Path.of("/etc/resolv.conf"), podsRoot);
    }

    ContainerSpecFactory(ObjectSource objects, Resources.Capacity node, Path resolvConf, Path podsRoot) {
        this.environment = new Environment(objects, node);
        this.node = node;
        this.resolvConf = resolvConf;
        this.podsRoot = podsRoot;
    }

    /**
     * The pod's sandbox: identity labels over the pod's labels, the pod's annotations, every container port, the
     * hostname (empty for hostNetwork pods), DNS from {@code dnsPolicy}/{@code dnsConfig} (all empty = the host's
     * resolv.conf); no cgroup parent (the runtime's default).
     */
    public SandboxSpec sandbox(JsonNode pod, int attempt, String logDirectory) {
        JsonNode spec = pod.path("spec");
        boolean hostNetwork = PodJson.bool(spec, "hostNetwork");
        String hostname = "";
        if (!hostNetwork) {
            hostname = PodJson.text(spec, "hostname");
            if (hostname.isEmpty()) {
                hostname = PodJson.name(pod);
            }
            if (hostname.length() > 63) {
                hostname = hostname.substring(0, 63).replaceAll("[-.]+$", "");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>(PodJson.stringMap(pod.path("metadata").path("labels")));
        labels.putAll(podIdentity(pod));
        Map<String, String> annotations = PodJson.stringMap(pod.path("metadata").path("annotations"));
        List<PortMapping> ports = new ArrayList<>();
        for (JsonNode c : spec.path("containers")) {
            for (JsonNode p : c.path("ports")) {
                String protocol = PodJson.text(p, "protocol");
                ports.add(new PortMapping(protocol.isEmpty() ? "TCP" : protocol, p.path("containerPort").asInt(),
                        p.path("hostPort").asInt(0), PodJson.text(p, "hostIP")));
            }
        }
        Dns dns = Dns.of(pod, resolvConf);
        // containerd refuses a privileged container in a sandbox that is not (kubelet sets it the same way)
        boolean privileged = false;
        for (String kind : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(kind)) {
                privileged |= PodJson.bool(c.path("securityContext"), "privileged");
            }
        }
        return new SandboxSpec(PodJson.name(pod), PodJson.namespace(pod), PodJson.uid(pod), attempt, hostname,
                logDirectory, hostNetwork, labels, annotations, ports, "", dns.servers(), dns.searches(),
                dns.options(), privileged);
    }

    /**
     * One container of the pod. {@code attempt} is its restart count; {@code volumes} is what
     * {@link VolumeManager#setUp} returned; {@code podIP}/{@code hostIP}/{@code nodeName} feed the downward API (and,
     * with a pods directory, the managed /etc/hosts). A missing configMap/secret/key, an unknown volume or fieldPath
     * is a {@code CreateContainerConfigError}.
     */
    public ContainerSpec container(JsonNode pod, JsonNode container, int attempt, String imageRef,
            Map<String, Path> volumes, String podIP, String hostIP, String nodeName) throws PodSpecException {
        String name = PodJson.text(container, "name");
        FieldPaths.Runtime at = new FieldPaths.Runtime(nullToEmpty(nodeName), nullToEmpty(podIP), nullToEmpty(hostIP));
        Map<String, String> env = environment.build(pod, container, at);
        List<KeyValue> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(new KeyValue(k, v)));
        List<String> command = expandAll(container.path("command"), env);
        List<String> args = expandAll(container.path("args"), env);
        List<Mount> mounts = mounts(pod, container, volumes, env);
        if (podsRoot != null) {
            Path podDir = podsRoot.resolve(checkedUid(pod));
            if (!at.podIP().isEmpty() && mounts.stream().noneMatch(m -> m.containerPath().equals("/etc/hosts"))) {
                mounts.add(new Mount("/etc/hosts", EtcHosts.write(podDir, pod, at.podIP(), NODE_HOSTS).toString(),
                        false));
            }
            String messagePath = PodJson.text(container, "terminationMessagePath");
            if (!messagePath.isEmpty()) {
                mounts.add(new Mount(messagePath, terminationMessageFile(podDir, name, attempt).toString(), false));
            }
        }
        LinuxResources resources = Resources.linux(pod, container, node);
        JsonNode podSc = pod.path("spec").path("securityContext");
        JsonNode sc = container.path("securityContext");
        Long runAsUser = sc.hasNonNull("runAsUser") ? Long.valueOf(sc.get("runAsUser").asLong())
                : podSc.hasNonNull("runAsUser") ? Long.valueOf(podSc.get("runAsUser").asLong()) : null;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CONTAINER_NAME, name);
        labels.putAll(podIdentity(pod));
        return new ContainerSpec(name, attempt, imageRef, command, args, PodJson.text(container, "workingDir"),
                envList, mounts, labels, annotations(pod, container, attempt), name + "/" + attempt + ".log",
                resources, runAsUser, PodJson.bool(sc, "privileged"), PodJson.bool(sc, "readOnlyRootFilesystem"),
                PodJson.bool(container, "tty"), PodJson.bool(container, "stdin"));
    }

    /** Kubelet's log directory of the pod's containers: {@code <root>/<namespace>_<name>_<uid>}. */
    public static Path logDirectory(Path podLogsRoot, JsonNode pod) {
        return podLogsRoot.resolve(PodJson.namespace(pod) + "_" + PodJson.name(pod) + "_" + PodJson.uid(pod));
    }

    /**
     * Where a container's termination message lands on the host ({@code terminationMessagePath} is bound to it when
     * the factory has a pods directory): {@code <podsRoot>/<uid>/containers/<name>/<attempt>}. Read it when the
     * container has exited (kubelet reads at most 4 KiB).
     */
    public static Path terminationMessagePath(Path podsRoot, String podUid, String containerName, int attempt) {
        return podsRoot.resolve(podUid).resolve("containers").resolve(containerName).resolve(Integer.toString(attempt));
    }

    private static Path terminationMessageFile(Path podDir, String name, int attempt) throws PodSpecException {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "invalid container name \"" + name + "\"");
        }
        Path file = podDir.resolve("containers").resolve(name).resolve(Integer.toString(attempt));
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            // writable by any user the container runs as, as kubelet makes it
            Files.setPosixFilePermissions(file, AtomicWriter.permissions(0666));
            return file;
        } catch (IOException e) {
            throw new PodSpecException(PodSpecException.CREATE_ERROR, "cannot create the termination message file "
                    + file + ": " + e);
        }
    }

    /** The same spec with more annotations (e.g. ones the lifecycle adds); later keys win. */
    public static ContainerSpec withAnnotations(ContainerSpec s, Map<String, String> more) {
        Map<String, String> a = new LinkedHashMap<>(s.annotations());
        a.putAll(more);
        return new ContainerSpec(s.name(), s.attempt(), s.image(), s.command(), s.args(), s.workingDir(), s.env(),
                s.mounts(), s.labels(), a, s.logPath(), s.resources(), s.runAsUser(), s.privileged(),
                s.readOnlyRootFilesystem(), s.tty(), s.stdin());
    }

    /**
     * A hash of the container's spec (FNV-1a 32 bit over its canonical JSON, in hex as kubelet writes it): a running
     * container whose {@code io.kubernetes.container.hash} differs was made from another spec.
     * The canonical JSON is compact UTF-8 with every object's keys sorted: byte for byte what an ObjectMapper with
     * {@code ORDER_MAP_ENTRIES_BY_KEYS} wrote of the spec as maps, which made the hashes of containers running now.
     */
    public static String hash(JsonNode container) {
        byte[] bytes = Json.writeBytes(sortedKeys(container));
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return Long.toHexString(Integer.toUnsignedLong(h));
    }

    /** Kubelet's QoS class of the pod: {@code Guaranteed}, {@code Burstable} or {@code BestEffort}. */
    public static String qosClass(JsonNode pod) throws PodSpecException {
        return Resources.qosClass(pod);
    }

    private static Map<String, String> podIdentity(JsonNode pod) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(POD_NAME, PodJson.name(pod));
        labels.put(POD_NAMESPACE, PodJson.namespace(pod));
        labels.put(POD_UID, PodJson.uid(pod));
        return labels;
    }

    private static JsonNode sortedKeys(JsonNode n) {
        if (n.isObject()) {
            Map<String, JsonNode> byKey = new TreeMap<>();
            n.properties().forEach(e -> byKey.put(e.getKey(), e.getValue()));
            ObjectNode sorted = Json.object();
            byKey.forEach((k, v) -> sorted.set(k, sortedKeys(v)));
            return sorted;
        }
        if (n.isArray()) {
            ArrayNode copy = Json.array();
            n.forEach(e -> copy.add(sortedKeys(e)));
            return copy;
        }
        return n;
    }

    private static Map<String, String> annotations(JsonNode pod, JsonNode container, int attempt) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(CONTAINER_HASH, hash(container));
        a.put(RESTART_COUNT, Integer.toString(attempt));
        String path = PodJson.text(container, "terminationMessagePath");
        a.put(TERMINATION_MESSAGE_PATH, path.isEmpty() ? "/dev/termination-log" : path);
        String policy = PodJson.text(container, "terminationMessagePolicy");
        a.put(TERMINATION_MESSAGE_POLICY, policy.isEmpty() ? "File" : policy);
        JsonNode grace = pod.path("spec").get("terminationGracePeriodSeconds");
        a.put(TERMINATION_GRACE_PERIOD, grace == null || grace.isNull() ? "30" : grace.asText());
        JsonNode preStop = container.path("lifecycle").get("preStop");
        if (preStop != null && !preStop.isNull()) {
            a.put(PRE_STOP_HANDLER, Json.write(preStop));
        }
        if (container.path("ports").size() > 0) {
            a.put(CONTAINER_PORTS, Json.write(container.get("ports")));
        }
        return a;
    }

    private static List<String> expandAll(JsonNode values, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : values) {
            out.add(Expansion.expand(v.isNull() ? "" : v.asText(), env));
        }
        return out;
    }

    private static List<Mount> mounts(JsonNode pod, JsonNode container, Map<String, Path> volumes,
            Map<String, String> env) throws PodSpecException {
        List<Mount> out = new ArrayList<>();
        String name = PodJson.text(container, "name");
        for (JsonNode m : container.path("volumeMounts")) {
            String volume = PodJson.text(m, "name");
            Path host = volumes == null ? null : volumes.get(volume);
            if (host == null) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        "cannot find volume \"" + volume + "\" to mount into container \"" + name + "\"");
            }
            String subPath = PodJson.text(m, "subPath");
            String subPathExpr = PodJson.text(m, "subPathExpr");
            if (!subPathExpr.isEmpty()) {
                subPath = Expansion.expand(subPathExpr, env);
            }
            if (!subPath.isEmpty()) {
                host = subPath(volume, host, subPath);
            }
            String target = PodJson.text(m, "mountPath");
            if (target.isEmpty()) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        "volume mount \"" + volume + "\" of container \"" + name + "\" has no mountPath");
            }
            out.add(new Mount(target, host.toString(), PodJson.bool(m, "readOnly") || apiData(pod, volume)));
        }
        return out;
    }

    /** configMap, secret, downwardAPI and projected volumes are always mounted read-only, as kubelet does. */
    private static boolean apiData(JsonNode pod, String volume) {
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (PodJson.text(v, "name").equals(volume)) {
                return v.has("configMap") || v.has("secret") || v.has("downwardAPI") || v.has("projected");
            }
        }
        return false;
    }

    /** {@code volume/subPath}, created as a directory when missing (as kubelet does); it must stay inside the volume. */
    private static Path subPath(String volume, Path root, String subPath) throws PodSpecException {
        if (subPath.startsWith("/") || List.of(subPath.split("/")).contains("..")) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                    "subPath \"" + subPath + "\" of volume \"" + volume + "\" must be a relative path without '..'");
        }
        Path p = root.resolve(subPath).normalize();
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                // created now with the volume's mode, as kubelet does, so that group-shared volumes stay shared
                Files.createDirectories(p);
                Files.setPosixFilePermissions(p, Files.getPosixFilePermissions(root));
            }
            Path real = p.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        "subPath \"" + subPath + "\" of volume \"" + volume + "\" points outside the volume");
            }
            return real;
        } catch (IOException e) {
            throw new PodSpecException(PodSpecException.CREATE_ERROR,
                    "subPath \"" + subPath + "\" of volume \"" + volume + "\": " + e);
        }
    }

    private static String checkedUid(JsonNode pod) throws PodSpecException {
        String uid = PodJson.uid(pod);
        if (uid.isEmpty() || uid.contains("/") || uid.startsWith(".")) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "invalid pod uid \"" + uid + "\"");
        }
        return uid;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

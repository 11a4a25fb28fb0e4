package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.edged.internal.spec.AtomicWriter.File;

/**
 * A pod's volumes on this node, in kubelet's layout {@code <podsRoot>/<uid>/volumes/<plugin>/<name>}: emptyDir,
 * hostPath, configMap, secret, downwardAPI and projected. {@link #setUp} is idempotent and is called again on every
 * sync: configMap/secret/downwardAPI/projected files are then rewritten (atomically) when their content changed.
 * Calls for different pods may run in parallel; calls for one pod must not (the pod's worker serialises them).
 */
public final class VolumeManager {
    static final String EMPTY_DIR = "kubernetes.io~empty-dir";
    static final String CONFIG_MAP = "kubernetes.io~configmap";
    static final String SECRET = "kubernetes.io~secret";
    static final String DOWNWARD_API = "kubernetes.io~downward-api";
    static final String PROJECTED = "kubernetes.io~projected";
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);

    private final Path podsRoot;
    private final Payloads payloads;
    /** Pod UIDs whose notes (memory medium, skipped sources) were logged once already. */
    private final Set<String> noted = ConcurrentHashMap.newKeySet();

    public VolumeManager(Path podsRoot, ObjectSource objects) {
        this(podsRoot, objects, Resources.Capacity.detect());
    }

    VolumeManager(Path podsRoot, ObjectSource objects, Resources.Capacity node) {
        this.podsRoot = podsRoot;
        this.payloads = new Payloads(objects, node);
    }

    /** The pod's directory, {@code <podsRoot>/<uid>}. */
    public Path podDirectory(String podUid) throws PodSpecException {
        return podsRoot.resolve(checkUid(podUid));
    }

    /**
     * Makes every volume of the pod ready and returns volume name → host path (what container mounts bind).
     * A missing non-optional configMap/secret or key, a bad item path or a failed hostPath check is a
     * {@link PodSpecException} with reason {@code CreateContainerConfigError}; volumes set up before it stay.
     */
    public Map<String, Path> setUp(JsonNode pod) throws PodSpecException {
        String uid = PodJson.uid(pod);
        Path volumesDir = podDirectory(uid).resolve("volumes");
        Map<String, Path> out = new LinkedHashMap<>();
        for (JsonNode v : pod.path("spec").path("volumes")) {
            String name = PodJson.text(v, "name");
            if (name.isEmpty() || name.contains("/") || name.startsWith("..")) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR, "invalid volume name \"" + name + "\"");
            }
            out.put(name, setUpOne(pod, uid, volumesDir, name, v));
        }
        return out;
    }

    private Path setUpOne(JsonNode pod, String uid, Path volumesDir, String name, JsonNode v) throws PodSpecException {
        try {
            if (v.has("emptyDir")) {
                if ("Memory".equals(PodJson.text(v.path("emptyDir"), "medium")) && noted.add(uid + "/" + name)) {
                    LOG.info("pod {}/{} volume {}: emptyDir medium Memory is a plain directory on this node (no tmpfs)",
                            PodJson.namespace(pod), PodJson.name(pod), name);
                }
                Path dir = volumesDir.resolve(EMPTY_DIR).resolve(name);
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    // emptyDir is world-writable like kubelet's (0777), so non-root containers can use it
                    Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
                }
                return dir;
            }
            if (v.has("hostPath")) {
                JsonNode hp = v.path("hostPath");
                return HostPaths.check(name, PodJson.text(hp, "path"), PodJson.text(hp, "type"));
            }
            if (v.has("configMap")) {
                JsonNode src = v.path("configMap");
                return write(pod, volumesDir.resolve(CONFIG_MAP).resolve(name),
                        payloads.configMap(pod, src, Payloads.mode(src, "defaultMode", Payloads.DEFAULT_MODE)));
            }
            if (v.has("secret")) {
                JsonNode src = v.path("secret");
                return write(pod, volumesDir.resolve(SECRET).resolve(name),
                        payloads.secret(pod, src, Payloads.mode(src, "defaultMode", Payloads.DEFAULT_MODE)));
            }
            if (v.has("downwardAPI")) {
                JsonNode src = v.path("downwardAPI");
                return write(pod, volumesDir.resolve(DOWNWARD_API).resolve(name),
                        payloads.downwardAPI(pod, src, Payloads.mode(src, "defaultMode", Payloads.DEFAULT_MODE)));
            }
            if (v.has("projected")) {
                return write(pod, volumesDir.resolve(PROJECTED).resolve(name),
                        payloads.projected(pod, name, v.path("projected")));
            }
        } catch (IOException e) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "volume \"" + name + "\": " + e);
        }
        String type = "";
        for (var it = v.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("name")) {
                type = f;
            }
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                "volume \"" + name + "\": type " + (type.isEmpty() ? "(none)" : type) + " is not supported on this node");
    }

    private static Path write(JsonNode pod, Path dir, SortedMap<String, File> payload)
            throws IOException, PodSpecException {
        if (AtomicWriter.write(dir, payload)) {
            LOG.debug("pod {}/{}: wrote {} file(s) to {}", PodJson.namespace(pod), PodJson.name(pod), payload.size(),
                    dir);
        }
        return dir;
    }

    /** Removes the pod's directory with all its volumes (hostPath targets are outside it and stay). */
    public void tearDown(String podUid) {
        Path dir;
        try {
            dir = podDirectory(podUid);
        } catch (PodSpecException e) {
            LOG.error("not tearing down volumes: {}", e.getMessage());
            return;
        }
        noted.removeIf(k -> k.startsWith(podUid + "/"));
        try {
            AtomicWriter.deleteTree(dir);
        } catch (IOException e) {
            LOG.error("cannot remove the volumes of pod {} under {}: {}", podUid, dir, e.toString());
        }
    }

    private static String checkUid(String uid) throws PodSpecException {
        if (uid == null || uid.isEmpty() || uid.contains("/") || uid.startsWith(".")) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "invalid pod uid \"" + uid + "\"");
        }
        return uid;
    }
}

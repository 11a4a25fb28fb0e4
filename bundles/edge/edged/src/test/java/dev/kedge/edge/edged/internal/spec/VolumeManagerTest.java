package dev.kedge.edge.edged.internal.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Pod volumes on a temp directory with ConfigMaps/Secrets from a fake store. */
class VolumeManagerTest {
    @TempDir
    Path root;

    private final FakeObjects objects = new FakeObjects();

    private VolumeManager manager() {
        return new VolumeManager(root.resolve("pods"), objects, new Resources.Capacity(4000, 8L << 30));
    }

    private static JsonNode pod(String volumes) {
        return FakeObjects.json("{'metadata':{'name':'web','namespace':'prod','uid':'u-1','labels':{'app':'web',"
                + "'tier':'a`b'}},'spec':{'containers':[{'name':'c','resources':{'limits':{'memory':'64Mi'}}}],"
                + "'volumes':[" + volumes + "]}}");
    }

    private Path volume(String plugin, String name) {
        return root.resolve("pods/u-1/volumes").resolve(plugin).resolve(name);
    }

    @Test
    void configMapItemsAndModesLandAsFilesThroughTheDataLink() throws Exception {
        objects.configMap("prod", "cfg", Map.of("a.conf", "alpha", "b.conf", "beta", "c", "gamma"));
        Map<String, Path> paths = manager().setUp(pod("{'name':'conf','configMap':{'name':'cfg','defaultMode':384,"
                + "'items':[{'key':'a.conf','path':'dir/a.conf'},{'key':'b.conf','path':'b','mode':511}]}}"));
        Path dir = volume(VolumeManager.CONFIG_MAP, "conf");
        assertEquals(Map.of("conf", dir), paths);
        assertEquals("alpha", Files.readString(dir.resolve("dir/a.conf")));
        assertEquals("beta", Files.readString(dir.resolve("b")));
        assertFalse(Files.exists(dir.resolve("c")), "only the listed items");
        assertEquals(0600, AtomicWriter.mode(Files.getPosixFilePermissions(dir.resolve("dir/a.conf"))));
        assertEquals(0777, AtomicWriter.mode(Files.getPosixFilePermissions(dir.resolve("b"))));
        assertTrue(Files.isSymbolicLink(dir.resolve("..data")));
        assertEquals(Path.of("..data/b"), Files.readSymbolicLink(dir.resolve("b")));
        assertEquals(Path.of("..data/dir"), Files.readSymbolicLink(dir.resolve("dir")));
    }

    @Test
    void allKeysWithDefaultModeAndBinaryData() throws Exception {
        objects.configMap("prod", "cfg", Map.of("k1", "v1")).binaryConfigMap("prod", "cfg", "bin", new byte[] {0, 1, -1});
        manager().setUp(pod("{'name':'conf','configMap':{'name':'cfg'}}"));
        Path dir = volume(VolumeManager.CONFIG_MAP, "conf");
        assertEquals("v1", Files.readString(dir.resolve("k1")));
        assertArrayEquals(new byte[] {0, 1, -1}, Files.readAllBytes(dir.resolve("bin")));
        assertEquals(0644, AtomicWriter.mode(Files.getPosixFilePermissions(dir.resolve("k1"))));
    }

    @Test
    void changedContentIsSwappedInAtomicallyAndRemovedKeysDisappear() throws Exception {
        VolumeManager vm = manager();
        objects.configMap("prod", "cfg", Map.of("a", "1", "gone", "x"));
        JsonNode pod = pod("{'name':'conf','configMap':{'name':'cfg'}}");
        vm.setUp(pod);
        Path dir = volume(VolumeManager.CONFIG_MAP, "conf");
        Path firstTarget = Files.readSymbolicLink(dir.resolve("..data"));

        vm.setUp(pod);
        assertEquals(firstTarget, Files.readSymbolicLink(dir.resolve("..data")), "same content: nothing rewritten");

        // a reader polling during the update sees the old or the new complete file, never a missing or mixed one
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> bad = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    String v = Files.readString(dir.resolve("a"));
                    if (!v.equals("1") && !v.equals("22")) {
                        bad.set("read \"" + v + "\"");
                    }
                } catch (Exception e) {
                    bad.set(e.toString());
                }
            }
        });
        reader.start();
        try {
            objects.configMap("prod", "cfg", Map.of("a", "22", "new", "n"));
            vm.setUp(pod);
        } finally {
            stop.set(true);
            reader.join(5000);
        }
        assertEquals(null, bad.get());
        assertEquals("22", Files.readString(dir.resolve("a")));
        assertEquals("n", Files.readString(dir.resolve("new")));
        assertFalse(Files.exists(dir.resolve("gone"), LinkOption.NOFOLLOW_LINKS), "removed key is gone");
        assertNotEquals(firstTarget, Files.readSymbolicLink(dir.resolve("..data")));
        assertFalse(Files.exists(dir.resolve(firstTarget)), "old timestamped directory removed");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("..data", "a", "new"), s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("..2")).sorted().toList());
        }
    }

    @Test
    void secretsAreDecodedAndModeChangesAreApplied() throws Exception {
        objects.secret("prod", "creds", Map.of("user", "admin", "pass", "s3cr3t"));
        VolumeManager vm = manager();
        vm.setUp(pod("{'name':'s','secret':{'secretName':'creds'}}"));
        Path dir = volume(VolumeManager.SECRET, "s");
        assertEquals("s3cr3t", Files.readString(dir.resolve("pass")));
        vm.setUp(pod("{'name':'s','secret':{'secretName':'creds','defaultMode':256}}"));
        assertEquals(0400, AtomicWriter.mode(Files.getPosixFilePermissions(dir.resolve("pass"))));
    }

    @Test
    void missingObjectsFailUnlessOptional() throws Exception {
        PodSpecException e = assertThrows(PodSpecException.class,
                () -> manager().setUp(pod("{'name':'conf','configMap':{'name':'nope'}}")));
        assertEquals("CreateContainerConfigError", e.reason());
        assertEquals("configmap \"nope\" not found", e.getMessage());

        e = assertThrows(PodSpecException.class,
                () -> manager().setUp(pod("{'name':'s','secret':{'secretName':'nope'}}")));
        assertEquals("secret \"nope\" not found", e.getMessage());

        Map<String, Path> p = manager().setUp(pod("{'name':'conf','configMap':{'name':'nope','optional':true}}"));
        assertTrue(Files.isDirectory(p.get("conf")), "an optional missing configmap is an empty volume");

        objects.configMap("prod", "cfg", Map.of("a", "1"));
        e = assertThrows(PodSpecException.class, () -> manager().setUp(pod(
                "{'name':'conf','configMap':{'name':'cfg','items':[{'key':'b','path':'b'}]}}")));
        assertEquals("CreateContainerConfigError", e.reason());
        assertTrue(e.getMessage().contains("non-existent config key: b"), e.getMessage());
        manager().setUp(pod("{'name':'conf','configMap':{'name':'cfg','optional':true,'items':[{'key':'b','path':'b'}]}}"));
    }

    @Test
    void pathTraversalIsRefused() {
        objects.configMap("prod", "cfg", Map.of("a", "1", "..evil", "x"));
        for (String path : List.of("../../etc/passwd", "/etc/passwd", "x/../../y", "..data/a", "a//b")) {
            PodSpecException e = assertThrows(PodSpecException.class, () -> manager().setUp(pod(
                    "{'name':'conf','configMap':{'name':'cfg','items':[{'key':'a','path':'" + path + "'}]}}")), path);
            assertEquals("CreateContainerConfigError", e.reason());
        }
        assertThrows(PodSpecException.class, () -> manager().setUp(pod("{'name':'conf','configMap':{'name':'cfg'}}")),
                "a key starting with .. is refused too");
        assertFalse(Files.exists(root.resolve("etc")));
        assertThrows(PodSpecException.class, () -> manager().setUp(pod("{'name':'../x','emptyDir':{}}")));
    }

    @Test
    void emptyDirHostPathAndTearDown() throws Exception {
        Path host = root.resolve("host");
        Files.createDirectories(host.resolve("existing"));
        Files.writeString(host.resolve("file"), "f");
        VolumeManager vm = manager();
        Map<String, Path> p = vm.setUp(pod("{'name':'scratch','emptyDir':{}},{'name':'mem','emptyDir':{'medium':"
                + "'Memory'}},{'name':'made','hostPath':{'path':'" + host + "/new/dir','type':'DirectoryOrCreate'}},"
                + "{'name':'plain','hostPath':{'path':'" + host + "/anything'}},"
                + "{'name':'f','hostPath':{'path':'" + host + "/touched','type':'FileOrCreate'}},"
                + "{'name':'d','hostPath':{'path':'" + host + "/existing','type':'Directory'}}"));
        assertEquals(volume(VolumeManager.EMPTY_DIR, "scratch"), p.get("scratch"));
        assertTrue(Files.isDirectory(p.get("scratch")));
        assertTrue(Files.isDirectory(p.get("mem")));
        assertTrue(Files.isDirectory(host.resolve("new/dir")));
        assertEquals(host.resolve("anything"), p.get("plain"));
        assertTrue(Files.isRegularFile(host.resolve("touched")));
        Files.writeString(p.get("scratch").resolve("data"), "kept across setUp calls");
        vm.setUp(pod("{'name':'scratch','emptyDir':{}}"));
        assertTrue(Files.exists(p.get("scratch").resolve("data")));

        for (String bad : List.of("{'path':'" + host + "/file','type':'Directory'}",
                "{'path':'" + host + "/missing','type':'Directory'}", "{'path':'" + host + "/existing','type':'File'}",
                "{'path':'" + host + "/file','type':'Socket'}", "{'path':'" + host + "/no/parent','type':'FileOrCreate'}",
                "{'path':'relative','type':''}", "{'path':'" + host + "','type':'Weird'}")) {
            PodSpecException e = assertThrows(PodSpecException.class,
                    () -> vm.setUp(pod("{'name':'h','hostPath':" + bad + "}")), bad);
            assertEquals("CreateContainerConfigError", e.reason());
        }
        PodSpecException e = assertThrows(PodSpecException.class,
                () -> vm.setUp(pod("{'name':'claim','persistentVolumeClaim':{'claimName':'x'}}")));
        assertTrue(e.getMessage().contains("persistentVolumeClaim"), e.getMessage());

        vm.tearDown("u-1");
        assertFalse(Files.exists(root.resolve("pods/u-1")));
        assertTrue(Files.exists(host.resolve("file")), "hostPath contents stay");
        vm.tearDown("u-1"); // idempotent
        vm.tearDown("../x"); // refused, no exception
    }

    @Test
    void projectedCombinesSourcesAndDownwardAPI() throws Exception {
        objects.configMap("prod", "cfg", Map.of("a", "1")).secret("prod", "sec", Map.of("token", "t"));
        Map<String, Path> p = manager().setUp(pod("{'name':'all','projected':{'defaultMode':416,'sources':["
                + "{'configMap':{'name':'cfg'}},{'secret':{'name':'sec','items':[{'key':'token','path':'s/token'}]}},"
                + "{'downwardAPI':{'items':[{'path':'name','fieldRef':{'fieldPath':'metadata.name'}},"
                + "{'path':'labels','fieldRef':{'fieldPath':'metadata.labels'}},"
                + "{'path':'mem','resourceFieldRef':{'containerName':'c','resource':'limits.memory','divisor':'1Mi'}}"
                + "]}},{'serviceAccountToken':{'path':'token'}}]}}"));
        Path dir = p.get("all");
        assertEquals(volume(VolumeManager.PROJECTED, "all"), dir);
        assertEquals("1", Files.readString(dir.resolve("a")));
        assertEquals("t", Files.readString(dir.resolve("s/token")));
        assertEquals("web", Files.readString(dir.resolve("name")));
        assertEquals("app=\"web\"\ntier=\"a\\\"b\"", Files.readString(dir.resolve("labels")));
        assertEquals("64", Files.readString(dir.resolve("mem")));
        assertEquals(0640, AtomicWriter.mode(Files.getPosixFilePermissions(dir.resolve("a"))));
        assertFalse(Files.exists(dir.resolve("token")), "service account tokens are skipped");

        Map<String, Path> d = manager().setUp(pod("{'name':'info','downwardAPI':{'items':[{'path':'ns','fieldRef':"
                + "{'fieldPath':'metadata.namespace'}}]}}"));
        assertEquals("prod", Files.readString(d.get("info").resolve("ns")));
    }
}

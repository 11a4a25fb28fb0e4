package dev.kedge.itests;

import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test's containerd, seen with containerd's own {@code ctr} (a foreign client: what it shows is what the runtime
 * really has). {@code scripts/test.sh} starts containerd and exports {@code KEDGE_CRI_ENDPOINT} and {@code CRI_BASE}.
 */
final class Ctr {
    private Ctr() {
    }

    /** The CRI endpoint, e.g. {@code unix:///tmp/kcri-1/run/containerd.sock}; fails the test when none is given. */
    static String endpoint() {
        String e = System.getenv("KEDGE_CRI_ENDPOINT");
        if (e == null || !Files.exists(Path.of(e.replaceFirst("^unix://", "")))) {
            fail("KEDGE_CRI_ENDPOINT must name a running containerd's socket (scripts/test.sh starts one as root "
                    + "with scripts/runtime-up.sh); got " + e);
        }
        return e;
    }

    /** The socket path (without checking it exists: a restarting containerd has none for a moment). */
    static String socket() {
        String e = System.getenv("KEDGE_CRI_ENDPOINT");
        if (e == null) {
            fail("KEDGE_CRI_ENDPOINT must name the test containerd's socket (scripts/test.sh exports it)");
        }
        return e.replaceFirst("^unix://", "");
    }

    /** Runs {@code ctr -n k8s.io <args>} and returns its output; fails on a non-zero exit. */
    static String run(String... args) throws Exception {
        KedgeProcess.Result r = tryRun(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("ctr " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    static KedgeProcess.Result tryRun(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket(), "-n", "k8s.io"));
        cmd.addAll(List.of(args));
        return KedgeProcess.run(Path.of("."), cmd, Map.of(), 30);
    }

    /** Ids of the running tasks (containers and sandboxes with a live process). */
    static List<String> runningTasks() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : run("tasks", "ls").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && "RUNNING".equals(f[2])) {
                ids.add(f[0]);
            }
        }
        return ids;
    }

    /** Runs a command inside a running container, like {@code crictl exec}. */
    static String exec(String containerId, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("tasks", "exec", "--exec-id", "it-" + System.nanoTime(),
                containerId));
        args.addAll(List.of(command));
        return run(args.toArray(String[]::new));
    }

    /** Kills a container's process from outside Kedge (as a crash or an OOM kill would). */
    static void kill(String containerId) throws Exception {
        run("tasks", "kill", "-s", "SIGKILL", containerId);
    }

    /** The containerd process the test command started ({@code $CRI_BASE/containerd.pid}). */
    static Path base() {
        String b = System.getenv("CRI_BASE");
        if (b == null) {
            fail("CRI_BASE must name the test containerd's folder (scripts/test.sh exports it)");
        }
        return Path.of(b);
    }
}

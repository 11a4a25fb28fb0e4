package dev.kedge.edge.edged.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerStatus;

/**
 * The tail of a container's CRI log file ({@code <RFC3339Nano> <stdout|stderr> <F|P> <text>} per line), with the
 * prefixes removed; partial lines ({@code P}) are joined as kubectl logs does. Reads at most the last 4 MiB.
 */
final class ContainerLogs {
    static final long MAX_READ = 4L << 20;

    private ContainerLogs() {
    }

    static List<String> tail(ContainerRuntime rt, RuntimePod actual, JsonNode pod, String container, int lines) {
        String name = container == null || container.isBlank()
                ? PodJson.containers(pod).stream().findFirst().map(PodJson::containerName).orElse("")
                : container.strip();
        ContainerInfo c = actual.latest(name, null).orElseThrow(() -> new IllegalArgumentException(
                "no container " + name + " of pod " + PodJson.namespace(pod) + "/" + PodJson.name(pod)
                        + " in the runtime (yet)"));
        String path = rt.containerStatus(c.id()).map(ContainerStatus::logPath).orElse("");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("container " + name + " has no log file");
        }
        try {
            return tail(Path.of(path), Math.max(1, lines));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
        }
    }

    static List<String> tail(Path file, int lines) throws IOException {
        String text;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - MAX_READ);
            byte[] b = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(b);
            text = new String(b, StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        StringBuilder partial = new StringBuilder();
        for (String raw : text.split("\n")) {
            String[] p = raw.split(" ", 4);
            if (p.length < 3 || !(p[1].equals("stdout") || p[1].equals("stderr"))) {
                continue; // a cut first line or a foreign format
            }
            String msg = p.length == 4 ? p[3] : "";
            if ("P".equals(p[2])) {
                partial.append(msg);
                continue;
            }
            out.add(partial + msg);
            partial.setLength(0);
        }
        return out.size() <= lines ? out : new ArrayList<>(out.subList(out.size() - lines, out.size()));
    }
}

package dev.kedge.edge.edged.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;

/** KubeEdge's default node name: the host name, lower-cased (what EdgeHub uses too). */
final class HostName {
    private HostName() {
    }

    /** Read from the kernel first: {@link InetAddress#getLocalHost()} resolves it and hangs when DNS is broken. */
    static String get() {
        String name = "";
        try {
            name = MachineReader.read(Path.of("/proc/sys/kernel/hostname"));
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            name = env == null ? "" : env;
        }
        if (name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
        }
        return name.strip().toLowerCase(Locale.ROOT);
    }
}

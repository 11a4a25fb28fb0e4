package dev.kedge.edge.edged.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Machine} facts from Linux ({@code /proc}, {@code /etc}, the file store of the root directory), as
 * cAdvisor does for the kubelet. A file that cannot be read gives an empty or zero value, a warning once and a
 * count in {@link #unreadable}; the node is still reported.
 */
final class MachineReader implements Supplier<Machine> {
    private static final Logger LOG = LoggerFactory.getLogger(MachineReader.class);

    final LongAdder unreadable = new LongAdder();
    private final Path root;
    private final Path rootFs;
    private final String configuredIP;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** {@code rootFs} is where {@code /proc}, {@code /etc} and {@code /sys} are found ({@code /} but in tests). */
    MachineReader(Path root, String configuredIP, Path rootFs) {
        this.root = root;
        this.configuredIP = configuredIP;
        this.rootFs = rootFs;
    }

    MachineReader(Path root, String configuredIP) {
        this(root, configuredIP, Path.of("/"));
    }

    @Override
    public Machine get() {
        List<String> meminfo = lines("proc/meminfo");
        long[] storage = storage();
        return new Machine(cpus(), kib(meminfo, "MemTotal:"), kib(meminfo, "MemAvailable:"), storage[0], storage[1],
                number(text("proc/sys/kernel/pid_max"), "pid_max"), processes(), text("etc/machine-id"),
                quiet("sys/class/dmi/id/product_uuid"), text("proc/sys/kernel/random/boot_id"),
                text("proc/sys/kernel/osrelease"), osImage(), architecture(System.getProperty("os.arch")), hostIP());
    }

    /** Kubernetes' GOARCH names for the JVM's os.arch. */
    static String architecture(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm", "armv7l", "armhf" -> "arm";
            case "x86", "i386", "i686" -> "386";
            default -> a;
        };
    }

    /** Cores as the kernel lists them in /proc/cpuinfo (the machine, not a JVM quota); the JVM's count otherwise. */
    private int cpus() {
        int n = 0;
        for (String l : lines("proc/cpuinfo")) {
            if (l.startsWith("processor")) {
                n++;
            }
        }
        return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** Threads that exist, the 4th field of /proc/loadavg ({@code running/total}). */
    private long processes() {
        String[] f = text("proc/loadavg").split("\\s+");
        if (f.length >= 4 && f[3].contains("/")) {
            return number(f[3].substring(f[3].indexOf('/') + 1), "/proc/loadavg");
        }
        return 0;
    }

    private String osImage() {
        for (String l : lines("etc/os-release")) {
            if (l.startsWith("PRETTY_NAME=")) {
                return l.substring("PRETTY_NAME=".length()).strip().replaceAll("^\"|\"$", "");
            }
        }
        return "";
    }

    private long[] storage() {
        try {
            FileStore store = Files.getFileStore(Files.isDirectory(root) ? root : root.toAbsolutePath().getRoot());
            return new long[] {store.getTotalSpace(), store.getUsableSpace()};
        } catch (IOException | RuntimeException e) {
            warn(root.toString(), e);
            return new long[] {0, 0};
        }
    }

    /**
     * The configured nodeIP, else (as kubelet) the IPv4 of the default route's interface, else the first IPv4 of an
     * interface that is up and not loopback, else 127.0.0.1. The default route keeps a CNI bridge (kedgecni0, cni0)
     * that comes up later from becoming the node's address.
     */
    private String hostIP() {
        if (!configuredIP.isEmpty()) {
            return configuredIP;
        }
        try {
            String viaDefault = defaultRouteInterface();
            List<NetworkInterface> nics = Collections.list(NetworkInterface.getNetworkInterfaces());
            nics.sort((x, y) -> Boolean.compare(!x.getName().equals(viaDefault), !y.getName().equals(viaDefault)));
            for (NetworkInterface nic : nics) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            warn("network interfaces", e);
        }
        return "127.0.0.1";
    }

    /** The interface of the IPv4 default route in /proc/net/route (destination 00000000), or "" when none. */
    private String defaultRouteInterface() {
        for (String l : quiet("proc/net/route").split("\n")) { // no route table (a container, a test): no preference
            String[] f = l.trim().split("\\s+");
            if (f.length > 2 && "00000000".equals(f[1])) {
                return f[0];
            }
        }
        return "";
    }

    private long kib(List<String> meminfo, String key) {
        for (String l : meminfo) {
            if (l.startsWith(key)) {
                String[] f = l.substring(key.length()).strip().split("\\s+");
                return number(f[0], key) * 1024;
            }
        }
        return 0;
    }

    private long number(String text, String what) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            warn(what, e);
            return 0;
        }
    }

    private String text(String file) {
        try {
            return read(rootFs.resolve(file));
        } catch (IOException | RuntimeException e) {
            warn("/" + file, e);
            return "";
        }
    }

    /** Files that only root may read (product_uuid): empty without a warning. */
    private String quiet(String file) {
        try {
            return read(rootFs.resolve(file));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Reads in 8 KiB chunks. Not {@link Files#readString}: /proc reports size 0, so it starts with a one-byte read,
     * and sysctl integers (pid_max) answer a read at offset 1 with end of file: "32768" would come back as "3".
     */
    static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) > 0 && out.size() < 1 << 20;) {
                out.write(chunk, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8).strip();
        }
    }

    private List<String> lines(String file) {
        try {
            return Files.readAllLines(rootFs.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            warn("/" + file, e);
            return List.of();
        }
    }

    private void warn(String what, Exception e) {
        unreadable.increment();
        if (warned.add(what)) {
            LOG.warn("cannot read {} for the node status ({}); reporting it as empty", what, e.toString());
        }
    }
}

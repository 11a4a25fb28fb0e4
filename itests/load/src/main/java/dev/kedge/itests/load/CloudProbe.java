package dev.kedge.itests.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the cloud JVM holds, from outside: jcmd (heap after a full GC), /proc (RSS, threads, descriptors, CPU). */
final class CloudProbe {
    private static final Pattern HEAP = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern GENERATION = Pattern.compile("(?:generation|Gen)\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern META = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private CloudProbe() {
    }

    record Memory(long heapUsedKiB, long heapCommittedKiB, long metaspaceKiB, long rssKiB, int threads, int fds) {
        String summary() {
            return String.format("heapUsed=%.1fMiB heapCommitted=%.1fMiB metaspace=%.1fMiB rss=%.1fMiB threads=%d fds=%d",
                    heapUsedKiB / 1024.0, heapCommittedKiB / 1024.0, metaspaceKiB / 1024.0, rssKiB / 1024.0, threads,
                    fds);
        }
    }

    /** Two full GCs (System.gc via jcmd), then the live heap, RSS and counts. */
    static Memory memory(long pid) throws Exception {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        Thread.sleep(300);
        String info = jcmd(pid, "GC.heap_info");
        Matcher h = HEAP.matcher(info);
        Matcher m = META.matcher(info);
        long used = -1;
        long committed = -1;
        if (h.find()) {
            committed = Long.parseLong(h.group(1));
            used = Long.parseLong(h.group(2));
        } else { // Serial/Parallel: one line per generation
            Matcher g = GENERATION.matcher(info);
            while (g.find()) {
                committed = Math.max(0, committed) + Long.parseLong(g.group(1));
                used = Math.max(0, used) + Long.parseLong(g.group(2));
            }
        }
        long meta = m.find() ? Long.parseLong(m.group(1)) : -1;
        return new Memory(used, committed, meta, status(pid, "VmRSS:"), (int) status(pid, "Threads:"), fds(pid));
    }

    static String jcmd(long pid, String what) throws Exception {
        Process p = new ProcessBuilder("jcmd", String.valueOf(pid), what).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + what + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static long status(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    static int fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** user + system CPU time of the process, in ms (from /proc/<pid>/stat, 100 Hz ticks). */
    static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU ms (user + system) of every process now, by pid, with its name: {pid -> "name", ms}. */
    static java.util.Map<Long, Object[]> allProcesses() {
        java.util.Map<Long, Object[]> m = new java.util.HashMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int l = stat.indexOf('(');
                    int r = stat.lastIndexOf(')');
                    String[] f = stat.substring(r + 2).split(" ");
                    long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                    m.put(Long.parseLong(p.getFileName().toString()), new Object[] {stat.substring(l + 1, r), ms});
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            // no /proc
        }
        return m;
    }

    /** Machine-wide CPU jiffies from /proc/stat: {user+nice, system, irq+softirq, steal, total}. */
    static long[] machineSplit() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {Long.parseLong(f[1]) + Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[6]) + Long.parseLong(f[7]), f.length > 8 ? Long.parseLong(f[8]) : 0, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0, 0, 1};
        }
    }

    /** Machine-wide CPU jiffies from /proc/stat: {busy, total}. */
    static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 1};
        }
    }

    /** Machine-wide TCP listen queue overflows and drops (TcpExt ListenOverflows, ListenDrops). */
    static long[] listenDrops() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
                    String[] k = lines.get(i).split("\\s+");
                    String[] v = lines.get(i + 1).split("\\s+");
                    long overflows = 0;
                    long drops = 0;
                    for (int j = 1; j < k.length && j < v.length; j++) {
                        if (k[j].equals("ListenOverflows")) {
                            overflows = Long.parseLong(v[j]);
                        } else if (k[j].equals("ListenDrops")) {
                            drops = Long.parseLong(v[j]);
                        }
                    }
                    return new long[] {overflows, drops};
                }
            }
        } catch (IOException | RuntimeException e) {
            // not available
        }
        return new long[] {-1, -1};
    }
}

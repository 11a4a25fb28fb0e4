package dev.kedge.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which local addresses listen on a TCP port, read from /proc/net/tcp and tcp6 (state 0A = LISTEN). */
final class Listeners {
    private Listeners() {
    }

    static List<String> addressesOf(int port) throws Exception {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A")) {
                    continue;
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) {
                    found.add(decode(local[0]));
                }
            }
        }
        return found;
    }

    /** Kernel hex, little-endian per 32-bit word; IPv4-mapped IPv6 is reported as IPv4. */
    private static String decode(String hex) {
        String v4 = hex.length() == 8 ? hex : hex.startsWith("0000000000000000FFFF0000") ? hex.substring(24) : null;
        if (v4 == null) {
            return hex.equals("00000000000000000000000000000000") ? "::" : hex;
        }
        return Integer.parseInt(v4.substring(6, 8), 16) + "." + Integer.parseInt(v4.substring(4, 6), 16) + "."
                + Integer.parseInt(v4.substring(2, 4), 16) + "." + Integer.parseInt(v4.substring(0, 2), 16);
    }
}

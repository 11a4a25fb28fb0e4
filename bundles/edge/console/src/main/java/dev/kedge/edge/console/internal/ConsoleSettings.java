package dev.kedge.edge.console.internal;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/** The console's settings, validated: a bad value is refused with its key, not bound to a port by accident. */
record ConsoleSettings(String host, int port, String realm, String role, Path hostKey, Duration idleTimeout,
        int ioThreads, boolean featuresOnDemand, boolean shellOnDemand, String passwordDigest,
        Duration sshdIdleStop) {

    static ConsoleSettings of(ConsoleConfig c) {
        if (c.sshPort() < 1 || c.sshPort() > 65_535) {
            throw new IllegalArgumentException("sshPort " + c.sshPort() + " is not a TCP port");
        }
        if (c.sshHost() == null || c.sshHost().isBlank()) {
            throw new IllegalArgumentException("sshHost is empty");
        }
        if (c.sshRealm() == null || c.sshRealm().isBlank()) {
            throw new IllegalArgumentException("sshRealm is empty");
        }
        if (c.sshIdleTimeout() < 1_000) {
            throw new IllegalArgumentException("sshIdleTimeout " + c.sshIdleTimeout() + " ms is below one second");
        }
        if (c.nio$_$workers() < 1 || c.nio$_$workers() > 16) {
            throw new IllegalArgumentException("nio-workers " + c.nio$_$workers() + " is not within 1..16");
        }
        if (c.sshdIdleStop() < 0) {
            throw new IllegalArgumentException("sshdIdleStop " + c.sshdIdleStop() + " ms is negative");
        }
        String digest = c.passwordDigest() == null ? "" : c.passwordDigest().strip();
        if (!digest.isEmpty()) {
            try {
                MessageDigest.getInstance(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("passwordDigest " + digest + " is no digest of this JVM", e);
            }
        }
        return new ConsoleSettings(c.sshHost().strip(), c.sshPort(), c.sshRealm().strip(),
                c.sshRole() == null ? "" : c.sshRole().strip(), hostKeyPath(c.hostKey()),
                Duration.ofMillis(c.sshIdleTimeout()), c.nio$_$workers(), c.featuresOnDemand(), c.shellOnDemand(),
                digest, Duration.ofMillis(c.sshdIdleStop()));
    }

    /** Karaf's {@code etc/}, where its realm's users.properties and keys.properties are. */
    static Path etc() {
        return Path.of(System.getProperty("karaf.etc", "etc")).toAbsolutePath();
    }

    /** {@code ${karaf.etc}} is expanded by fileinstall from etc/; a default that never passed there is expanded here. */
    private static Path hostKeyPath(String configured) {
        String path = configured == null || configured.isBlank() ? "${karaf.etc}/host.key" : configured.strip();
        return Path.of(path.replace("${karaf.etc}", etc().toString())).toAbsolutePath();
    }
}

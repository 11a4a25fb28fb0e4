package dev.kedge.cloud.kube.internal.lease;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/** Checked leader-election settings: retry < renew deadline < lease duration, a non-empty identity. */
record LeadershipSettings(String namespace, String leaseName, String identity, Duration leaseDuration,
        Duration renewDeadline, Duration retryPeriod) {

    LeadershipSettings {
        if (namespace.isBlank() || leaseName.isBlank()) {
            throw new IllegalArgumentException("namespace and lease name must not be empty");
        }
        if (retryPeriod.isNegative() || retryPeriod.isZero()) {
            throw new IllegalArgumentException("retry period must be positive, is " + retryPeriod.toMillis() + " ms");
        }
        // client-go's rules: a leader must get several renew attempts before its deadline, and must give up
        // leading before others may take the lease
        if (renewDeadline.compareTo(retryPeriod) <= 0) {
            throw new IllegalArgumentException("renew deadline (" + renewDeadline.toMillis()
                    + " ms) must exceed the retry period (" + retryPeriod.toMillis() + " ms)");
        }
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("lease duration (" + leaseDuration.toMillis()
                    + " ms) must exceed the renew deadline (" + renewDeadline.toMillis() + " ms)");
        }
    }

    static LeadershipSettings of(LeadershipConfig c) {
        String id = c.identity() == null || c.identity().isBlank() ? defaultIdentity() : c.identity().trim();
        return new LeadershipSettings(c.namespace().trim(), c.leaseName().trim(), id,
                Duration.ofMillis(c.leaseDurationMs()), Duration.ofMillis(c.renewDeadlineMs()),
                Duration.ofMillis(c.retryPeriodMs()));
    }

    /** {@code <hostname>-<pid>}: unique per process on a host, and the pod name in a Deployment. */
    static String defaultIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    String lease() {
        return namespace + "/" + leaseName;
    }
}

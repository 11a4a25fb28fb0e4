package dev.kedge.cloud.sync.internal;

import java.math.BigInteger;

/**
 * Kubernetes resourceVersions are opaque strings, but in practice etcd revisions, and KubeEdge compares them as
 * integers. Empty counts as 0 (an ObjectSync created but not yet acked); an unparsable one as 0 too, so a real
 * version always wins over garbage.
 */
public final class ResourceVersions {
    private ResourceVersions() {
    }

    /** Negative, zero or positive as {@code a} is older, the same or newer than {@code b}. */
    public static int compare(String a, String b) {
        return value(a).compareTo(value(b));
    }

    public static boolean newer(String candidate, String current) {
        return compare(candidate, current) > 0;
    }

    public static boolean valid(String rv) {
        return rv != null && !rv.isEmpty() && rv.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static BigInteger value(String rv) {
        return valid(rv) ? new BigInteger(rv) : BigInteger.ZERO;
    }
}

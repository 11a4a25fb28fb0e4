package dev.kedge.core;

import java.math.BigInteger;

/**
 * Kubernetes resourceVersions are opaque strings, in practice etcd revisions, and KubeEdge compares them as integers.
 * Two orders, because callers must treat a version that is not a number differently:
 * <ul>
 * <li>{@link #compare}/{@link #newer}: strict integer order; empty or unparsable counts as 0, so a real version always
 * wins over garbage (ObjectSync records: empty = created but not yet acked).</li>
 * <li>{@link #newerOrDifferent}: integer order when both sides are numbers, otherwise any different value counts as
 * newer (message queues and ledgers: an opaque version must still get through).</li>
 * </ul>
 */
public final class ResourceVersions {
    private ResourceVersions() {
    }

    /** Negative, zero or positive as {@code a} is older, the same or newer than {@code b}; not a number = 0. */
    public static int compare(String a, String b) {
        return value(a).compareTo(value(b));
    }

    /** {@code candidate} is a larger integer than {@code current}; empty or unparsable counts as 0. */
    public static boolean newer(String candidate, String current) {
        return compare(candidate, current) > 0;
    }

    /** A non-empty string of decimal digits (of any length). */
    public static boolean valid(String rv) {
        return rv != null && !rv.isEmpty() && rv.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * True when {@code candidate} should replace {@code current}: always when there is no current version, never when
     * there is no candidate, by value when both parse as longs, else whenever they differ.
     */
    public static boolean newerOrDifferent(String candidate, String current) {
        if (current == null || current.isEmpty()) {
            return true;
        }
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        try {
            return Long.parseLong(candidate) > Long.parseLong(current);
        } catch (NumberFormatException e) {
            return !candidate.equals(current);
        }
    }

    private static BigInteger value(String rv) {
        return valid(rv) ? new BigInteger(rv) : BigInteger.ZERO;
    }
}

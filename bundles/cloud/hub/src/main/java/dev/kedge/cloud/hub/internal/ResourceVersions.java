package dev.kedge.cloud.hub.internal;

/** Kubernetes resourceVersions are opaque strings, in practice etcd revisions: compare numerically when we can. */
final class ResourceVersions {
    private ResourceVersions() {
    }

    /** True when {@code candidate} is newer than {@code current}; an unparsable pair counts as newer if different. */
    static boolean newer(String candidate, String current) {
        if (current == null || current.isEmpty()) {
            return true;
        }
        try {
            return Long.parseLong(candidate) > Long.parseLong(current);
        } catch (NumberFormatException e) {
            return !candidate.equals(current);
        }
    }
}

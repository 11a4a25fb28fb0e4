package dev.kedge.cloud.controller.internal;

/** Kubernetes resourceVersions are opaque strings, in practice etcd revisions: compare numerically when we can. */
final class ResourceVersions {
    private ResourceVersions() {
    }

    /** True when {@code candidate} is newer than {@code current}; with an unparsable side, any different value is newer. */
    static boolean newer(String candidate, String current) {
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
}

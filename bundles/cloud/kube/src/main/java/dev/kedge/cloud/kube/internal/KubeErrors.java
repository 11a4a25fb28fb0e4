package dev.kedge.cloud.kube.internal;

/** fabric8 wraps I/O failures as "An error has occurred."; operators need the cause (refused, timeout, TLS). */
public final class KubeErrors {
    private KubeErrors() {
    }

    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? message : message + " (" + root + ")";
    }
}

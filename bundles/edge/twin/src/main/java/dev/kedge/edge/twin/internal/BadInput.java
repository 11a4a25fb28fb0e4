package dev.kedge.edge.twin.internal;

/** A message DeviceTwin refuses: KubeEdge answers such input with code 400 where it answers at all. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String reason) {
        super(reason, null, false, false);
    }
}

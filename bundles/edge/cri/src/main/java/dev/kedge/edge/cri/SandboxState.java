package dev.kedge.edge.cri;

public enum SandboxState {
    READY, NOTREADY
}

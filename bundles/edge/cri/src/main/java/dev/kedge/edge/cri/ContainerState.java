package dev.kedge.edge.cri;

public enum ContainerState {
    CREATED, RUNNING, EXITED, UNKNOWN
}

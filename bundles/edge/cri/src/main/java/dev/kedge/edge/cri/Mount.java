package dev.kedge.edge.cri;

/** A bind mount of a host path (a pod volume's directory) into a container. */
public record Mount(String containerPath, String hostPath, boolean readOnly) {
}

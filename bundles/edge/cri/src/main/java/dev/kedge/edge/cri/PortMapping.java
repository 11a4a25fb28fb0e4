package dev.kedge.edge.cri;

/** A container port of the pod; {@code hostPort} 0 = none. Protocol TCP, UDP or SCTP. */
public record PortMapping(String protocol, int containerPort, int hostPort, String hostIp) {
}

package dev.kedge.core;

/**
 * EdgeHub's broadcast of the cloud link state to the edge modules (KubeEdge's {@code node/connection} message): source
 * {@value #SOURCE}, operation {@link Operations#CONNECT}, resource {@value #RESOURCE}, content {@value #CONNECTED} or
 * {@value #DISCONNECTED}.
 */
public final class CloudLink {
    public static final String SOURCE = "edgehub";
    public static final String RESOURCE = "node/connection";
    public static final String CONNECTED = "cloud_connected";
    public static final String DISCONNECTED = "cloud_disconnected";

    private CloudLink() {
    }

    /** True for a link-state message, whatever its content. */
    public static boolean isLinkState(Message m) {
        return Operations.CONNECT.equals(m.operation()) && RESOURCE.equals(m.resource());
    }
}

package dev.kedge.edge.edged;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The edge node agent. Its messages travel through the bus (module {@code edged}); this service reports on it. */
@ProviderType
public interface Edged {

    /** Registration, status and lease bookkeeping; cheap, safe to call from any thread. */
    EdgedNodeInfo node();

    /**
     * The node status as it would be sent now (v1.NodeStatus JSON, indented).
     *
     * @throws IllegalStateException if the agent is stopped or does not answer within a few seconds
     */
    String nodeStatusJson();

    /** The pods this node runs, ordered by namespace and name. */
    List<EdgedPodInfo> pods();

    /**
     * The last {@code lines} lines of a container's log (the CRI log file, stream prefixes removed).
     *
     * @param container empty = the pod's first container
     * @throws IllegalArgumentException when the pod or container is unknown or has no log yet
     */
    List<String> logs(String namespace, String pod, String container, int lines);
}

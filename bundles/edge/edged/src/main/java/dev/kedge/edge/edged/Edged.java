package dev.kedge.edge.edged;

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
}

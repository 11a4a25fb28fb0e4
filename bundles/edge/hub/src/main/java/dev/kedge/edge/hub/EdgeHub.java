package dev.kedge.edge.hub;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The edge's link to CloudHub. Messages travel through the bus (module {@code websocket}, group {@code hub});
 * this service only reports how the link is doing.
 */
@ProviderType
public interface EdgeHub {

    /** A consistent-enough snapshot of the link; cheap, safe to call from any thread. */
    EdgeHubStatus status();
}

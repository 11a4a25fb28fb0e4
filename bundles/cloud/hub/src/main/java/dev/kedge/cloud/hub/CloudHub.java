package dev.kedge.cloud.hub;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The cloud end of the edge link, as operators and other cloud modules see it. */
@ProviderType
public interface CloudHub {

    /** Every node CloudHub knows: connected ones, and those with messages still queued while offline. */
    List<NodeInfo> nodes();

    /** A join token valid right now ({@code <sha256 of CA>.<JWT>}), as {@code keadm gettoken} prints it. */
    String joinToken();

    /** Hub-wide counters by name (refused handshakes, malformed frames, keepalive timeouts, certificates …). */
    Map<String, Long> counters();

    /** Closes the node's connection (it will reconnect); false if it is not connected. */
    boolean disconnect(String node);
}

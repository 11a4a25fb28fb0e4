/**
 * EdgeHub, KubeEdge's {@code websocket} module: the edge node's secure WebSocket link to CloudHub. The
 * {@link dev.kedge.edge.hub.EdgeHub} service reports the state of that link.
 */
@Export
@Version("1.0.0")
package dev.kedge.edge.hub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

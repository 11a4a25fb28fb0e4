/**
 * KubeEdge's EventBus: MQTT topics ({@code $hw/events/...}, upload and user topics) to and from the bus, on the
 * embedded broker (mode 0), an external broker such as Mosquitto (mode 2), or both (mode 1).
 */
@Export
@Version("1.0.0")
package dev.kedge.edge.eventbus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

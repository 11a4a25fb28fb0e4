/**
 * The edge's embedded MQTT broker (KubeEdge's internal broker on {@code mqttServerInternal}): mappers and
 * applications publish KubeEdge's {@code $hw/events/...} topics to it; EventBus uses it in process
 * ({@link dev.kedge.core.mqtt.InProcessBroker}) or, configured so, connects to it as a client.
 */
@Export
@Version("1.5.0")
package dev.kedge.edge.broker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

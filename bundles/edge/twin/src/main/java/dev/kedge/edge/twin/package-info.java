/**
 * DeviceTwin, KubeEdge's {@code twin} module: device membership, attributes and twins (desired/reported values) in
 * the edge database's {@code device}, {@code device_attr} and {@code device_twin} tables, KubeEdge's twin semantics
 * towards mappers over MQTT, and reports to the cloud that survive an outage. The
 * {@link dev.kedge.edge.twin.DeviceTwin} service reports what it holds.
 */
@Export
@Version("1.0.0")
package dev.kedge.edge.twin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

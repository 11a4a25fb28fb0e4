/**
 * The device host, KubeEdge's mapper run in-process: for every Device at this node whose
 * {@code spec.protocol.protocolName} has a {@link dev.kedge.device.driver.Driver} service, it connects, reads each
 * property at its {@code collectCycle}, reports at its {@code reportCycle} as twin reported values through DeviceTwin
 * (the bus path an MQTT mapper's messages take), writes desired values when they change, and keeps the device's state.
 * The {@link dev.kedge.device.host.DeviceHost} service reports what it drives.
 */
@Export
@Version("1.0.0")
package dev.kedge.device.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

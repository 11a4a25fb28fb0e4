/** DeviceController: Device/DeviceModel membership and objects down to edge nodes; reported twins and state up to the API server. */
@Export
@Version("1.0.0")
package dev.kedge.cloud.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

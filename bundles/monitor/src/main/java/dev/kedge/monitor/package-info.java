/** The monitor: health and metrics endpoints of a Kedge distribution, and how they are doing. */
@Export
@Version("1.0.0")
package dev.kedge.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

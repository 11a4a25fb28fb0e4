/** SyncController: ObjectSync bookkeeping of what each edge node acknowledged. */
@Export
@Version("1.1.0")
package dev.kedge.cloud.sync;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

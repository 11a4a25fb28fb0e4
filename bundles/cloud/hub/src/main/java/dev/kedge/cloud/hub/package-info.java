/** CloudHub: the cloud end of the edge link — node sessions, join tokens, edge certificates. */
@Export
@Version("1.0.0")
package dev.kedge.cloud.hub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The edge's SSH console (in place of Karaf's {@code ssh} feature): its state and counters, for {@code console:status}
 * and monitoring.
 */
@Export
@Version("1.0.0")
package dev.kedge.edge.console;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

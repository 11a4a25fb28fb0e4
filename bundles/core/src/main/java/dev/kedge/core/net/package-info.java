/**
 * Listening sockets without a thread each: {@link dev.kedge.core.net.Acceptor} accepts for every listener of the JVM
 * on one selector thread and hands each connection to its listener's own serial lane.
 */
@Export
@Version("1.0.0")
package dev.kedge.core.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * An MQTT broker running in the edge's own JVM, offered to modules as a service so that they can publish to it and
 * hear what its clients publish without an MQTT client of their own (no loopback connection, no client threads).
 * Kept in core so that the broker and its users need no package of each other: either may be absent.
 */
@Export
@Version("1.1.0")
package dev.kedge.core.mqtt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

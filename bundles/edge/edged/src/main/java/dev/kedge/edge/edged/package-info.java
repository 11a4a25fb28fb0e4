/**
 * Edged, KubeEdge's {@code edged} module: the node agent that registers this edge node, reports its status and
 * renews its lease through MetaManager, and runs the node's pods in containers through the CRI runtime. The
 * {@link dev.kedge.edge.edged.Edged} service reports what it does.
 */
@Export
@Version("1.1.0")
package dev.kedge.edge.edged;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

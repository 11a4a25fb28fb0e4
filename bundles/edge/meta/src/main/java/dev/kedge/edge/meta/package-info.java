/**
 * MetaManager, KubeEdge's {@code metamanager} module: keeps the cloud's objects in the edge database's {@code meta}
 * table, acks them to the cloud after the commit, and answers the edge modules' queries (from the cloud when
 * connected, from {@code meta} when not). The {@link dev.kedge.edge.meta.MetaManager} service reports what it holds.
 */
@Export
@Version("1.1.0")
package dev.kedge.edge.meta;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

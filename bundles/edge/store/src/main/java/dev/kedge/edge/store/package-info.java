/**
 * The edge node's SQLite database, shared by the edge modules (KubeEdge's {@code edgecore.db}): one file in WAL
 * mode, one writer thread with group commit, read-only reader connections, per-module schema migrations.
 */
@Export
@Version("1.0.0")
package dev.kedge.edge.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Kedge core: KubeEdge's beehive message model, its JSON wire codec, resource-string helpers and the
 * {@link dev.kedge.core.MessageBus} through which every module talks.
 */
@Export
@Version("1.6.0")
package dev.kedge.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

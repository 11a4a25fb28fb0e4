/**
 * A small, typed view of a container runtime (KubeEdge's/kubelet's CRI {@code runtime.v1} RuntimeService and
 * ImageService) for Edged. No protobuf or gRPC type crosses this API; the CRI bundle keeps them private.
 */
@Export
@Version("1.2.0")
package dev.kedge.edge.cri;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

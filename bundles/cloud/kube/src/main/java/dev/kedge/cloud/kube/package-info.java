/**
 * The shared Kubernetes client of the cloud side: one fabric8 {@code KubernetesClient} service, found with the
 * filter {@link dev.kedge.cloud.kube.KubeClients#DEFAULT_FILTER}.
 */
@Export
@Version("1.1.0")
package dev.kedge.cloud.kube;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

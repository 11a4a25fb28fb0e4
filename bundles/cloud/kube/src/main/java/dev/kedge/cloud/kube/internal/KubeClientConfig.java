package dev.kedge.cloud.kube.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// Timeouts and retries are fabric8's defaults. KubeEdge's kubeAPIConfig qps/burst has no fabric8 equivalent:
// fabric8 has no client-side rate limiter, and maxConcurrentRequests is honoured by its OkHttp client only.
@ObjectClassDefinition(name = "Kedge Kubernetes client", description = "The one KubernetesClient the cloud modules share")
public @interface KubeClientConfig {

    @AttributeDefinition(name = "Kubeconfig", required = false,
            description = "Path of a kubeconfig file; empty = KUBECONFIG, then ~/.kube/config, then the pod's service account")
    String kubeconfig() default "";

    @AttributeDefinition(name = "Context", required = false, description = "Kubeconfig context; empty = its current-context")
    String context() default "";

    @AttributeDefinition(name = "Connect timeout (ms)", min = "0")
    int connectTimeoutMs() default 10_000;

    @AttributeDefinition(name = "Request timeout (ms)", min = "0")
    int requestTimeoutMs() default 10_000;

    @AttributeDefinition(name = "Retries", description = "Retries with exponential backoff on I/O errors, HTTP 429 and 5xx", min = "0")
    int requestRetryBackoffLimit() default 10;

    @AttributeDefinition(name = "First retry delay (ms)", min = "0")
    int requestRetryBackoffIntervalMs() default 100;
}

package dev.kedge.cloud.controller.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** KubeEdge's edgeController settings (cloudcore.yaml modules.edgeController), with its defaults where it has them. */
@ObjectClassDefinition(name = "Kedge EdgeController", description = "Edge nodes' pods, configmaps and secrets; node and pod status")
public @interface EdgeControllerConfig {

    @AttributeDefinition(name = "Node update frequency (s)",
            description = "KubeEdge's nodeUpdateFrequency; also the shortest pause between two full reconciliations of what was sent")
    int nodeUpdateFrequency() default 10;

    @AttributeDefinition(name = "Upstream workers", description = "Threads doing API calls for edge requests (status, leases, queries)")
    int upstreamWorkers() default 4;

    @AttributeDefinition(name = "Upstream queue", description = "Edge requests waiting for a worker; more are answered with an error")
    int upstreamQueueSize() default 1024;

    @AttributeDefinition(name = "Event queue", description = "Informer events waiting for the downstream worker")
    int eventQueueSize() default 10_000;

    @AttributeDefinition(name = "Event enqueue timeout (s)",
            description = "How long an informer thread waits for room; then the event is dropped and a reconciliation is scheduled")
    int eventEnqueueTimeoutSeconds() default 5;

    @AttributeDefinition(name = "Ledger wait (s)", description = "Wait this long for the ObjectSync ledger to sync before the first sends")
    int ledgerWaitSeconds() default 30;
}

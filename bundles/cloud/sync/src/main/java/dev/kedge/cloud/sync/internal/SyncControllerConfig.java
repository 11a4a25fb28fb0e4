package dev.kedge.cloud.sync.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** KubeEdge's syncController settings (its period is fixed at 5 s there), plus the bounds Kedge adds. */
@ObjectClassDefinition(name = "Kedge SyncController",
        description = "ObjectSync bookkeeping of edge acks; resends what the edge missed")
public @interface SyncControllerConfig {

    @AttributeDefinition(name = "Reconcile period (s)", description = "How often ObjectSyncs are compared with the live objects")
    int reconcilePeriodSeconds() default 5;

    @AttributeDefinition(name = "Max resends per round", description = "update/delete messages sent per reconcile round at most")
    int maxResendsPerRound() default 1000;

    @AttributeDefinition(name = "Pending ObjectSync writes", description = "Bound of the coalescing write queue (one entry per ObjectSync)")
    int maxPendingWrites() default 10_000;

    @AttributeDefinition(name = "Queue full wait (ms)", description = "How long an ack waits for room in a full write queue before it is dropped")
    int queueFullWaitMs() default 1000;

    @AttributeDefinition(name = "Write attempts", description = "Attempts of one ObjectSync write on server errors before it is given up")
    int maxWriteAttempts() default 10;

    @AttributeDefinition(name = "Max retry backoff (ms)") int maxRetryBackoffMs() default 30_000;

    @AttributeDefinition(name = "CRD established timeout (s)", description = "Wait for the ObjectSync CRDs to be served, per attempt")
    int crdEstablishedTimeoutSeconds() default 30;
}

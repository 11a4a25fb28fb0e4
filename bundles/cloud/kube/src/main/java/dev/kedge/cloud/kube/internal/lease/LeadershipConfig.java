package dev.kedge.cloud.kube.internal.lease;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Leader election among cloud replicas; the defaults (15/10/2 s) are cloudcore's and client-go's. */
@ObjectClassDefinition(name = "Kedge cloud leader election",
        description = "One Kubernetes Lease decides which cloud replica does the once-only work")
public @interface LeadershipConfig {

    @AttributeDefinition(name = "Namespace", description = "Namespace of the Lease")
    String namespace() default "kubeedge";

    @AttributeDefinition(name = "Lease name")
    String leaseName() default "kedge-cloud";

    @AttributeDefinition(name = "Identity", required = false,
            description = "This replica's name in the Lease; empty = <hostname>-<pid> (the pod name in a Deployment)")
    String identity() default "";

    @AttributeDefinition(name = "Lease duration (ms)", description = "How long others wait before taking a lease that was not renewed")
    int leaseDurationMs() default 15_000;

    @AttributeDefinition(name = "Renew deadline (ms)", description = "The leader gives up leading if it cannot renew within this")
    int renewDeadlineMs() default 10_000;

    @AttributeDefinition(name = "Retry period (ms)", description = "How often candidates try and the leader renews")
    int retryPeriodMs() default 2_000;
}

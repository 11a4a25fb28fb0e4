package dev.kedge.edge.meta.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** MetaManager's configuration, PID {@code dev.kedge.edge.meta}; defaults are edgecore.yaml's {@code metaManager}. */
@ObjectClassDefinition(name = "Kedge MetaManager", description = "The meta table: cloud objects, acks, local answers")
public @interface MetaConfig {

    @AttributeDefinition(description = "Seconds a remote operation (node, lease, query) waits for the cloud (KubeEdge: 60)")
    int remoteQueryTimeout() default 60;

    @AttributeDefinition(description = "Threads that wait for the cloud's answers to remote operations")
    int remoteWorkers() default 4;

    @AttributeDefinition(description = "Remote operations that may wait for a worker; beyond that they fail at once")
    int remoteQueueCapacity() default 256;

    @AttributeDefinition(description = "Committed messages waiting to be acked and forwarded to edged")
    int ackQueueCapacity() default 4096;
}

package dev.kedge.device.host.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Kedge device host", description = "Drives the node's Devices through protocol drivers")
public @interface HostConfig {
    @AttributeDefinition(description = "Seconds between looks at MetaManager's Device objects (new, changed, gone)")
    int syncIntervalSeconds() default 2;

    @AttributeDefinition(description = "Longest a batch read or one write may take (ms); a stuck call is aborted at"
            + " twice this")
    int readTimeoutMs() default 2000;

    @AttributeDefinition(description = "Threads that call drivers (each device uses at most one at a time)")
    int poolSize() default 4;

    @AttributeDefinition(description = "Device runs waiting for a thread; beyond it a device skips its turn")
    int queueCapacity() default 1024;

    @AttributeDefinition(description = "collectCycle / reportCycle (ms) when a property sets none (KubeEdge: 1 s)")
    int defaultCycleMs() default 1000;

    @AttributeDefinition(description = "Shortest collectCycle honoured (ms)")
    int minCycleMs() default 100;

    @AttributeDefinition(description = "Longest wait between reconnects of an offline device (seconds)")
    int maxBackoffSeconds() default 30;

    @AttributeDefinition(description = "A failed desired-value write is retried after this many seconds")
    int writeRetrySeconds() default 10;
}

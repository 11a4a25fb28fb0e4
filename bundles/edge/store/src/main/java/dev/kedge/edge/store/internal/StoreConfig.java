package dev.kedge.edge.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The store's configuration, PID {@code dev.kedge.edge.store}; KubeEdge's {@code database} section plus our bounds. */
@ObjectClassDefinition(name = "Kedge edge store", description = "The edge SQLite database (edgecore.db)")
public @interface StoreConfig {

    @AttributeDefinition(description = "SQLite file; ${karaf.data} is expanded (KubeEdge: /var/lib/kubeedge/edgecore.db)")
    String dataSource() default "${karaf.data}/kedge/edgecore.db";

    @AttributeDefinition(description = "Milliseconds SQLite waits for a lock before giving up (busy_timeout)")
    int busyTimeoutMs() default 5000;

    @AttributeDefinition(description = "Writes that may wait for the writer thread")
    int writeQueueCapacity() default 4096;

    @AttributeDefinition(description = "Milliseconds a write waits for room in a full queue before it is refused")
    int writeQueueWaitMs() default 2000;

    @AttributeDefinition(description = "Most writes committed in one transaction")
    int maxBatch() default 1000;

    @AttributeDefinition(description = "Read-only connections (concurrent reads)")
    int readConnections() default 4;

    @AttributeDefinition(description = "Milliseconds a read waits for a free reader connection")
    int readWaitMs() default 5000;

    @AttributeDefinition(description = "Seconds a migration may take before its caller gives up")
    int migrateTimeoutSeconds() default 60;

    @AttributeDefinition(description = "What to do when the file fails its integrity check at start",
            options = {@Option(label = "fail: log an error, the store does not start", value = "fail"),
                @Option(label = "quarantine: rename the file to <file>.corrupt-<time>, start empty",
                        value = "quarantine")})
    String onCorruption() default "fail";
}

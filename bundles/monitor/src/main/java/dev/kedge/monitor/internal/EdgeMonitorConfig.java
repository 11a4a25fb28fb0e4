package dev.kedge.monitor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The edge node's monitor endpoint (the cloud's is 9091: both can run on one host). */
@ObjectClassDefinition(name = "Kedge edge monitor", description = "/healthz, /readyz and /metrics of the edge node")
public @interface EdgeMonitorConfig {

    @AttributeDefinition(name = "Address", description = "Loopback by default, like every other port") String address() default "127.0.0.1";

    @AttributeDefinition(name = "Port") int port() default 9092;

    @AttributeDefinition(name = "Required checks", description = "Readiness checks that must be registered and ready (edgehub: connected, or offline with meta serving)")
    String[] requiredChecks() default {"edgehub", "store"};

    @AttributeDefinition(name = "Max connections", description = "Connections open at once; more are closed at once")
    int maxConnections() default 8;

    @AttributeDefinition(name = "Max request (bytes)", description = "Request line and headers; larger gets 431")
    int maxRequestBytes() default 8192;

    @AttributeDefinition(name = "Idle timeout (ms)", description = "A connection that has not sent its request by then is closed")
    int idleTimeoutMs() default 10_000;

    @AttributeDefinition(name = "Worker threads", description = "Threads answering requests; they end when idle")
    int workerThreads() default 2;
}

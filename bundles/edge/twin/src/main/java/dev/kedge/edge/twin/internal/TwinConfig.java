package dev.kedge.edge.twin.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** DeviceTwin's configuration, PID {@code dev.kedge.edge.twin}. */
@ObjectClassDefinition(name = "Kedge DeviceTwin", description = "Devices, twins, and their reports to the cloud")
public @interface TwinConfig {

    @AttributeDefinition(description = "Node name in membership topics; empty = EdgeHub's node name, else this host's")
    String nodeName() default "";

    @AttributeDefinition(description = "Largest MQTT payload accepted from a mapper, in bytes; larger = 400")
    int maxPayloadBytes() default 65536;

    @AttributeDefinition(description = "Reports kept for the cloud while it is away (latest per twin and device state);"
            + " beyond that the oldest are dropped with an error")
    int outboxCapacity() default 10000;

    @AttributeDefinition(description = "Reports sent to the cloud per round")
    int flushBatch() default 500;

    @AttributeDefinition(description = "Messages to mappers and the cloud waiting for the publishing thread")
    int publishQueueCapacity() default 4096;
}

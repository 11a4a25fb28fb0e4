package dev.kedge.itests.modules;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Kedge itest edge applier", description = "Test stand-in for MetaManager: applies and acks cloud messages")
public @interface EdgeApplierConfig {

    @AttributeDefinition(name = "Ack delay (ms)", description = "Pause before each ack, to simulate a slow commit", min = "0")
    long ackDelayMs() default 0;
}

package dev.kedge.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Kedge message bus", description = "Beehive routing between modules: mailboxes and timeouts")
public @interface BusConfig {

    @AttributeDefinition(name = "Mailbox capacity", description = "Messages one module may have queued (KubeEdge: 1024)", min = "1")
    int mailboxCapacity() default 1024;

    @AttributeDefinition(name = "Send timeout (ms)", description = "How long a send waits on a full mailbox before it fails", min = "0")
    long sendTimeoutMs() default 10_000;

    @AttributeDefinition(name = "Sync timeout (ms)", description = "Default wait for a response (KubeEdge: 30 s)", min = "1")
    long syncTimeoutMs() default 30_000;

    @AttributeDefinition(name = "Unbind wait (ms)", description = "How long a module going away waits for its message in delivery", min = "0")
    long unbindWaitMs() default 5_000;

    @AttributeDefinition(name = "Detached after (ms)", description = "A module gone this long (stopped, not being updated) "
            + "no longer makes senders wait: a direct send fails at once when its mailbox is full, a group send passes it by", min = "0")
    long detachedAfterMs() default 30_000;
}

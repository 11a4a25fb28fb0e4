package dev.kedge.edge.twin.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * The one thread ({@code kedge-twin-publish}) that hands committed results to EventBus and reports to EdgeHub, in
 * commit order, so the store's writer never waits on a full mailbox. Its queue is bounded: a task that finds it
 * full for a second is dropped with an error and a counter (reports to the cloud are safe in the outbox anyway).
 */
final class Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    static final String SOURCE = ModuleNames.TWIN;
    static final String GROUP_BUS = ModuleNames.GROUP_BUS;
    static final String GROUP_RESOURCE = ModuleNames.ROUTE_RESOURCE;
    private static final Duration FULL_WAIT = Duration.ofSeconds(1);

    private final MessageBus bus;
    private final TwinCounters counters;
    private final Lane pool;
    private final RateLog rateLog = new RateLog(LOG);

    Publisher(MessageBus bus, TwinCounters counters, int capacity) {
        this.bus = bus;
        this.counters = counters;
        this.pool = DaemonThreads.onDemand("twin-publish", 1, capacity); // no thread while nothing is published
    }

    /** Runs {@code task} on the publishing thread; false when it was dropped. */
    boolean submit(Runnable task) {
        try {
            pool.execute(task, FULL_WAIT);
            return true;
        } catch (RejectedExecutionException e) {
            counters.droppedPublishes.increment();
            rateLog.error("publish queue full for 1 s or stopping: a message to mappers was dropped");
            return false;
        }
    }

    /** An MQTT publish through EventBus ({@code eventbus.go: pubCloudMsgToEdge}): resource = topic, content = JSON. */
    void toMapper(String topic, String payload) {
        try {
            bus.send(ModuleNames.EVENTBUS, Message.create(SOURCE, GROUP_BUS, Operations.PUBLISH, topic, payload));
            counters.toMappers.increment();
        } catch (BusException e) {
            counters.droppedPublishes.increment();
            rateLog.error("publish to " + topic + " not handed to EventBus: " + e.getMessage());
        }
    }

    /** A report to the cloud through EdgeHub; false when EdgeHub did not take it (it stays in the outbox). */
    boolean toCloud(String resource, Object content) {
        try {
            bus.send(ModuleNames.EDGEHUB, Message.create(SOURCE, GROUP_RESOURCE, Operations.UPDATE, resource,
                    content));
            counters.toCloud.increment();
            return true;
        } catch (BusException e) {
            LOG.warn("report {} not handed to EdgeHub ({}); it stays in the outbox", resource, e.getMessage());
            return false;
        }
    }

    void stop() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("{} messages to mappers not sent at stop", pool.shutdownNow().size());
        }
    }
}

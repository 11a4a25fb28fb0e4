package dev.kedge.edge.broker.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.mqtt.InProcessBroker;
import dev.kedge.edge.broker.internal.mqtt.Topics;

/**
 * The last retained message of each topic a network client published, for in-process listeners that attach later
 * ({@link RetainedStore} also holds the broker's own publishes, which they must not get). An empty retained payload
 * clears the topic, as in MQTT. Bounded: a new topic beyond {@link #MAX_TOPICS} is not kept for replay (counted and
 * logged); the broker still retains it for clients.
 */
final class RetainedCopies {
    static final int MAX_TOPICS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RetainedCopies.class);

    private record Copy(String clientId, byte[] payload) {
    }

    private final Map<String, Copy> byTopic = new ConcurrentHashMap<>();
    private final AtomicLong notKept = new AtomicLong();

    /** A client's retained publish: kept, replaced, or (empty payload) cleared. */
    void retained(String clientId, String topic, byte[] payload) {
        if (payload.length == 0) {
            byTopic.remove(topic);
        } else if (byTopic.size() < MAX_TOPICS || byTopic.containsKey(topic)) {
            byTopic.put(topic, new Copy(clientId, payload));
        } else {
            long n = notKept.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("retained message on {} not kept for in-process replay: {} topics kept already ({} so far)",
                        topic, MAX_TOPICS, n);
            }
        }
    }

    /** Topics kept now. */
    int kept() {
        return byTopic.size();
    }

    /** Retained publishes on topics beyond the bound, since start. */
    long notKept() {
        return notKept.get();
    }

    /** Hands {@code listener} the kept messages whose topic {@code filter} matches; returns how many. */
    int replay(String filter, InProcessBroker.PublishListener listener) {
        int n = 0;
        for (Map.Entry<String, Copy> e : byTopic.entrySet()) {
            if (Topics.matches(filter, e.getKey())) {
                listener.published(e.getValue().clientId(), e.getKey(), e.getValue().payload());
                n++;
            }
        }
        return n;
    }
}

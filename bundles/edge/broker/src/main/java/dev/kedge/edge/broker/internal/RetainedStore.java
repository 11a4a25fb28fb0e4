package dev.kedge.edge.broker.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kedge.edge.broker.internal.mqtt.Topics;

/**
 * The broker's retained messages, the last per topic, for new subscriptions. Bounded: a retained message on a new
 * topic beyond maxRetainedTopics is delivered but not retained (the caller counts it). Guarded by the broker's lock.
 */
final class RetainedStore {
    private final Map<String, Message> byTopic = new LinkedHashMap<>();
    private final int maxTopics;

    RetainedStore(int maxTopics) {
        this.maxTopics = maxTopics;
    }

    int maxTopics() {
        return maxTopics;
    }

    /** Keeps, replaces or (empty payload) clears the topic's message; false if it could not be kept. */
    boolean put(Message m) {
        if (m.payload().length == 0) {
            byTopic.remove(m.topic());
            return true;
        }
        if (byTopic.size() >= maxTopics && !byTopic.containsKey(m.topic())) {
            return false;
        }
        byTopic.put(m.topic(), m);
        return true;
    }

    List<Message> matching(String filter) {
        List<Message> out = new ArrayList<>();
        for (Message m : byTopic.values()) {
            if (Topics.matches(filter, m.topic())) {
                out.add(m);
            }
        }
        return out;
    }

    Collection<Message> all() {
        return List.copyOf(byTopic.values());
    }

    int size() {
        return byTopic.size();
    }
}

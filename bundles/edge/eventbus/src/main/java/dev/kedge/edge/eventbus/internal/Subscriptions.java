package dev.kedge.edge.eventbus.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.paho.client.mqttv3.MqttTopic;

/** The topic filters EventBus subscribes on every broker: KubeEdge's defaults plus the {@code sub_topics} rows. */
final class Subscriptions {
    private final Set<String> stored = new LinkedHashSet<>(); // guarded by this
    private volatile List<String> all = KubeEdgeTopics.DEFAULT_SUBSCRIPTIONS;

    synchronized void setStored(List<String> topics) {
        stored.clear();
        stored.addAll(topics);
        refresh();
    }

    /** Adds a stored filter; false if it was there already. */
    synchronized boolean add(String filter) {
        boolean added = stored.add(filter);
        refresh();
        return added;
    }

    synchronized boolean remove(String filter) {
        boolean removed = stored.remove(filter);
        refresh();
        return removed;
    }

    synchronized List<String> stored() {
        return List.copyOf(stored);
    }

    /** Defaults first, then stored filters not among them. */
    List<String> all() {
        return all;
    }

    boolean isDefault(String filter) {
        return KubeEdgeTopics.DEFAULT_SUBSCRIPTIONS.contains(filter);
    }

    /** Whether any filter matches {@code topic}: a message on any other topic is not ours. */
    boolean matches(String topic) {
        for (String f : all) {
            try {
                if (MqttTopic.isMatched(f, topic)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false; // not a valid topic name
            }
        }
        return false;
    }

    /** Throws IllegalArgumentException when {@code filter} is not a valid MQTT topic filter. */
    static void validateFilter(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("empty topic filter");
        }
        MqttTopic.validate(filter, true);
    }

    /** Throws IllegalArgumentException when {@code topic} is not a valid topic name to publish on. */
    static void validateTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("empty topic");
        }
        MqttTopic.validate(topic, false);
    }

    private void refresh() {
        List<String> l = new ArrayList<>(KubeEdgeTopics.DEFAULT_SUBSCRIPTIONS);
        for (String s : stored) {
            if (!l.contains(s)) {
                l.add(s);
            }
        }
        all = List.copyOf(l);
    }
}

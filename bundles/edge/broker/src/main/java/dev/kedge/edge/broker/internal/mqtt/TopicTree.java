package dev.kedge.edge.broker.internal.mqtt;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Subscriptions indexed by filter level, as Mosquitto and Moquette keep them: matching a topic walks its levels and
 * the {@code +} and {@code #} branches met on the way, so its cost follows the topic and the wildcards, not the number
 * of subscriptions. Same semantics as {@link Topics#matches}: {@code a/#} matches {@code a}, and a topic starting
 * with {@code $} is not matched by a filter starting with a wildcard. Empty branches are pruned. Not thread-safe.
 *
 * @param <S> the subscriber, compared by {@code equals}
 */
public final class TopicTree<S> {
    private static final String PLUS = "+";
    private static final String HASH = "#";

    private static final class Node<S> {
        final Node<S> parent;
        final String level;
        final Map<String, Node<S>> children = new HashMap<>(4);
        final Map<S, Integer> here = new HashMap<>(4); // subscribers whose filter ends at this level, and their QoS

        Node(Node<S> parent, String level) {
            this.parent = parent;
            this.level = level;
        }
    }

    private record Step<S>(Node<S> node, int level) {
    }

    private final Node<S> root = new Node<>(null, "");
    private int size;

    /** Subscribes (or re-subscribes, replacing the QoS) {@code subscriber} to a valid {@code filter}. */
    public void put(String filter, S subscriber, int qos) {
        Node<S> n = root;
        for (String level : filter.split("/", -1)) {
            Node<S> parent = n;
            n = n.children.computeIfAbsent(level, l -> new Node<>(parent, l));
        }
        if (n.here.put(subscriber, qos) == null) {
            size++;
        }
    }

    /** Removes the subscription, if there is one. */
    public void remove(String filter, S subscriber) {
        Node<S> n = root;
        for (String level : filter.split("/", -1)) {
            n = n.children.get(level);
            if (n == null) {
                return;
            }
        }
        if (n.here.remove(subscriber) == null) {
            return;
        }
        size--;
        while (n != root && n.here.isEmpty() && n.children.isEmpty()) {
            n.parent.children.remove(n.level);
            n = n.parent;
        }
    }

    /** Subscriptions held. */
    public int size() {
        return size;
    }

    /**
     * Adds the subscribers whose filters match {@code topic} to {@code out}, each with the highest QoS among its
     * matching filters; returns the nodes visited (for tests: it must not grow with the subscriptions).
     */
    public int match(String topic, Map<S, Integer> out) {
        String[] levels = topic.split("/", -1);
        boolean dollar = topic.startsWith("$");
        int visited = 0;
        ArrayDeque<Step<S>> todo = new ArrayDeque<>(); // no recursion: a filter may have thousands of levels
        todo.push(new Step<>(root, 0));
        while (!todo.isEmpty()) {
            Step<S> step = todo.pop();
            Node<S> n = step.node();
            int i = step.level();
            visited++;
            boolean wildcards = i > 0 || !dollar; // a $ topic's first level is not matched by + or #
            Node<S> hash = wildcards ? n.children.get(HASH) : null;
            if (hash != null) { // matches the rest, and the parent level itself ("a/#" matches "a")
                visited++;
                addAll(hash.here, out);
            }
            if (i == levels.length) {
                addAll(n.here, out);
                continue;
            }
            Node<S> exact = n.children.get(levels[i]);
            if (exact != null) {
                todo.push(new Step<>(exact, i + 1));
            }
            Node<S> plus = wildcards ? n.children.get(PLUS) : null;
            if (plus != null) {
                todo.push(new Step<>(plus, i + 1));
            }
        }
        return visited;
    }

    private static <S> void addAll(Map<S, Integer> from, Map<S, Integer> out) {
        from.forEach((s, qos) -> out.merge(s, qos, Math::max));
    }
}

package dev.kedge.edge.broker.internal.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The subscription tree matches exactly as {@link Topics#matches}, and its cost does not grow with subscriptions. */
class TopicTreeTest {

    private static Set<String> match(TopicTree<String> tree, String topic) {
        Map<String, Integer> out = new HashMap<>();
        tree.match(topic, out);
        return out.keySet();
    }

    private static boolean matches(String filter, String topic) {
        TopicTree<String> tree = new TopicTree<>();
        tree.put(filter, "s", 0);
        return match(tree, topic).contains("s");
    }

    /** The cases of PacketCodecTest's Topics.matches assertions, through the tree. */
    @Test
    void theWildcardCasesOfTopicsMatches() {
        assertTrue(matches("a/+/c", "a/b/c"));
        assertTrue(!matches("a/+/c", "a/b/d"));
        assertTrue(!matches("a/+", "a/b/c"));
        assertTrue(matches("a/#", "a"));
        assertTrue(matches("a/#", "a/b/c"));
        assertTrue(matches("#", "a/b"));
        assertTrue(matches("+/+", "/x"));
        assertTrue(matches("+", ""));
        assertTrue(!matches("a/b", "a/b/"));
        assertTrue(matches("a/+", "a/"));
        assertTrue(!matches("#", "$SYS/x"), "$ topics are not matched by a leading wildcard");
        assertTrue(!matches("+/events/x", "$hw/events/x"));
        assertTrue(matches("$hw/events/+", "$hw/events/x"));
    }

    /** Every filter against every topic, one tree holding all filters: the same answers as Topics.matches. */
    @Test
    void agreesWithTopicsMatchesOnEveryPair() {
        List<String> filters = List.of("#", "+", "+/+", "+/#", "a", "a/", "a/#", "a/+", "a/+/c", "a/b", "a/b/c",
                "a/b/#", "/#", "/+", "+/b/+", "$hw/#", "$hw/events/+", "$hw/events/device/+/twin/+", "+/events/x",
                "a//c", "a/+/+/d", "", "x/#");
        List<String> topics = List.of("a", "a/", "a/b", "a/b/c", "a/b/c/d", "a/x/c", "/", "/x", "", "b", "a//c",
                "$SYS/x", "$hw/events/x", "$hw/events/device/d1/twin/update", "$hw", "x/events/x", "a/b/", "//");
        TopicTree<String> tree = new TopicTree<>();
        filters.stream().filter(Topics::validFilter).forEach(f -> tree.put(f, f, 1));
        for (String t : topics) {
            Set<String> expected = new java.util.HashSet<>();
            filters.stream().filter(Topics::validFilter).filter(f -> Topics.matches(f, t)).forEach(expected::add);
            assertEquals(expected, match(tree, t), "topic '" + t + "'");
        }
    }

    @Test
    void theHighestQosOfASubscribersMatchingFiltersWins() {
        TopicTree<String> tree = new TopicTree<>();
        tree.put("a/#", "s", 0);
        tree.put("a/+", "s", 2);
        tree.put("a/b", "s", 1);
        tree.put("a/b", "t", 0);
        Map<String, Integer> out = new HashMap<>();
        tree.match("a/b", out);
        assertEquals(Map.of("s", 2, "t", 0), out);
        tree.put("a/+", "s", 0); // re-subscribing replaces the QoS
        out.clear();
        tree.match("a/b", out);
        assertEquals(Map.of("s", 1, "t", 0), out);
    }

    @Test
    void removingEverySubscriptionLeavesAnEmptyTree() {
        TopicTree<String> tree = new TopicTree<>();
        tree.put("a/b/c", "s", 0);
        tree.put("a/+/c", "s", 0);
        tree.put("a/#", "t", 0);
        tree.remove("a/b/c", "t"); // not subscribed: nothing happens
        assertEquals(3, tree.size());
        tree.remove("a/b/c", "s");
        tree.remove("a/+/c", "s");
        tree.remove("a/#", "t");
        assertEquals(0, tree.size());
        Map<String, Integer> out = new HashMap<>();
        assertEquals(1, tree.match("a/b/c", out), "only the root is left: its branches were pruned");
        assertTrue(out.isEmpty());
    }

    /** Not a benchmark: the nodes a publish visits stay the same from 10 to 10,000 devices' subscriptions. */
    @Test
    void matchingVisitsTheSameNodesWhateverTheNumberOfSubscriptions() {
        int few = visitedWith(10);
        int many = visitedWith(10_000);
        assertEquals(few, many);
        assertTrue(many <= 12, "visited " + many);
    }

    private static int visitedWith(int devices) {
        TopicTree<Integer> tree = new TopicTree<>();
        for (int i = 0; i < devices; i++) {
            tree.put("$hw/events/device/d" + i + "/twin/+", i, 1);
            tree.put("$hw/events/device/d" + i + "/state/update", i, 1);
        }
        tree.put("$hw/events/device/+/twin/+", -1, 1); // EventBus's own subscription
        Map<Integer, Integer> out = new HashMap<>();
        int visited = tree.match("$hw/events/device/d7/twin/update", out);
        assertEquals(Set.of(7, -1), out.keySet());
        return visited;
    }

    @Test
    void aVeryDeepFilterIsMatchedWithoutRecursion() {
        String deep = "a/".repeat(20_000) + "#";
        TopicTree<String> tree = new TopicTree<>();
        tree.put(deep, "s", 0);
        assertEquals(Set.of("s"), match(tree, "a/".repeat(20_000) + "b"));
    }
}

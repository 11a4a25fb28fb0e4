package dev.kedge.edge.broker.internal.mqtt;

/** MQTT 3.1.1 topic names and filters (section 4.7): validity and matching. */
public final class Topics {
    private Topics() {
    }

    /** A PUBLISH or will topic: at least one character, no wildcard. */
    public static void requireTopicName(String topic) throws MalformedPacketException {
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new MalformedPacketException("invalid topic name '" + topic + "'");
        }
    }

    /** Whether {@code filter} is a valid filter: non-empty, {@code +} a whole level, {@code #} the whole last one. */
    public static boolean validFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.indexOf('#') >= 0 && (!l.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (l.indexOf('+') >= 0 && !l.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a valid {@code filter} matches {@code topic}. A topic starting with {@code $} is not matched by a
     * filter starting with a wildcard; {@code a/#} matches {@code a} too.
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = levelEnd(filter, f);
            String level = filter.substring(f, fEnd);
            if (level.equals("#")) {
                return true;
            }
            if (t > topic.length()) { // the topic has no more levels
                return false;
            }
            int tEnd = levelEnd(topic, t);
            if (!level.equals("+") && !level.equals(topic.substring(t, tEnd))) {
                return false;
            }
            boolean filterDone = fEnd == filter.length();
            boolean topicDone = tEnd == topic.length();
            if (filterDone) {
                return topicDone;
            }
            if (topicDone) { // only a last "#" level ("a/#" matches "a") is left to match nothing
                return filter.substring(fEnd + 1).equals("#");
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int i = s.indexOf('/', from);
        return i < 0 ? s.length() : i;
    }
}

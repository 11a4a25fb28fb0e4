package dev.kedge.cloud.sync.internal;

/**
 * ObjectSync names are {@code <node>.<objectUID>}. Node names may contain dots, UIDs do not: the node is everything
 * before the last dot (as KubeEdge's getNodeName does).
 */
public final class ObjectSyncNames {
    private ObjectSyncNames() {
    }

    public static String name(String node, String uid) {
        if (node == null || node.isEmpty() || uid == null || uid.isEmpty() || uid.indexOf('.') >= 0) {
            throw new IllegalArgumentException("an ObjectSync needs a node and a UID without dots: node '" + node
                    + "', uid '" + uid + "'");
        }
        return node + "." + uid;
    }

    /** The node part, or "" when the name is not {@code <node>.<uid>}. */
    public static String node(String syncName) {
        int dot = syncName.lastIndexOf('.');
        return dot <= 0 || dot == syncName.length() - 1 ? "" : syncName.substring(0, dot);
    }

    /** The UID part, or "" when the name is not {@code <node>.<uid>}. */
    public static String uid(String syncName) {
        int dot = syncName.lastIndexOf('.');
        return dot <= 0 || dot == syncName.length() - 1 ? "" : syncName.substring(dot + 1);
    }
}

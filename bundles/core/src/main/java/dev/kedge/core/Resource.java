package dev.kedge.core;

/**
 * KubeEdge resource strings. Inside the cloud: {@code node/<nodeID>/<namespace>/<type>[/<name>]}; on the wire and as
 * the edge's {@code meta} key: {@code <namespace>/<type>[/<name>]}. Cluster-scoped objects use the namespace
 * {@value #NULL_NAMESPACE}. Missing parts are empty strings; the name keeps any further {@code /}.
 */
public record Resource(String nodeId, String namespace, String type, String name) {
    public static final String NODE_PREFIX = "node";
    public static final String NULL_NAMESPACE = "null";
    public static final char SEP = '/';

    public Resource {
        nodeId = MessageHeader.nonNull(nodeId);
        namespace = MessageHeader.nonNull(namespace);
        type = MessageHeader.nonNull(type);
        name = MessageHeader.nonNull(name);
    }

    /** Parses the cloud form {@code node/<id>/<ns>/<type>[/<name>]}. */
    public static Resource parseCloud(String resource) {
        String[] parts = split(resource, 5);
        if (parts.length < 3 || !NODE_PREFIX.equals(parts[0]) || parts[1].isEmpty()) {
            throw new IllegalArgumentException("not a cloud resource (node/<id>/<ns>/<type>/<name>): " + resource);
        }
        return new Resource(parts[1], parts[2], at(parts, 3), at(parts, 4));
    }

    /** Parses the edge/wire form {@code <ns>/<type>[/<name>]}, for the given node. */
    public static Resource parseEdge(String nodeId, String resource) {
        String[] parts = split(resource, 3);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("not an edge resource (<ns>/<type>/<name>): " + resource);
        }
        return new Resource(nodeId, parts[0], parts[1], at(parts, 2));
    }

    /** Builds {@code node/<id>/<ns>/<type>[/<name>]}; an empty namespace becomes {@value #NULL_NAMESPACE}. */
    public static String cloud(String nodeId, String namespace, String type, String name) {
        return new Resource(nodeId, namespace, type, name).toCloud();
    }

    /** CloudHub's trim before writing to the socket: drops {@code node/<id>/}. Other strings pass unchanged. */
    public static String trimNode(String resource) {
        if (resource == null || !resource.startsWith(NODE_PREFIX + SEP)) {
            return resource;
        }
        int second = resource.indexOf(SEP, NODE_PREFIX.length() + 1);
        return second < 0 ? resource : resource.substring(second + 1);
    }

    /** CloudHub's prefix for upstream messages: {@code node/<id>/<resource>}. */
    public static String prefixNode(String nodeId, String resource) {
        return NODE_PREFIX + SEP + nodeId + SEP + resource;
    }

    public boolean clusterScoped() {
        return NULL_NAMESPACE.equals(namespace);
    }

    public String toCloud() {
        return prefixNode(nodeId, toEdge());
    }

    public String toEdge() {
        String ns = namespace.isEmpty() ? NULL_NAMESPACE : namespace;
        StringBuilder b = new StringBuilder(ns).append(SEP).append(type);
        if (!name.isEmpty()) {
            b.append(SEP).append(name);
        }
        return b.toString();
    }

    private static String[] split(String resource, int limit) {
        if (resource == null || resource.isEmpty()) {
            throw new IllegalArgumentException("empty resource");
        }
        return resource.split("/", limit);
    }

    private static String at(String[] parts, int i) {
        return i < parts.length ? parts[i] : "";
    }
}

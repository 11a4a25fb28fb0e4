package dev.kedge.core;

/**
 * KubeEdge's {@code header}: {@code msg_id}, {@code parent_msg_id}, {@code timestamp} (ms), {@code resourceversion},
 * {@code sync}, {@code type}. Empty strings stand for absent fields, as in Go.
 */
public record MessageHeader(String id, String parentId, long timestamp, String resourceVersion, boolean sync,
        String type) {

    public MessageHeader {
        id = nonNull(id);
        parentId = nonNull(parentId);
        resourceVersion = nonNull(resourceVersion);
        type = nonNull(type);
    }

    static String nonNull(String s) {
        return s == null ? "" : s;
    }
}

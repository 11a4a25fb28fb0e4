package dev.kedge.edge.twin.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * KubeEdge's MQTT topics for devices ({@code dtcommon}). A device id in a topic is {@code <name>} (before v1.17)
 * or {@code <namespace>/<name>} (v1.17+); both are accepted, and replies go to the id the mapper used.
 */
final class Topics {
    static final String DEVICE_PREFIX = "$hw/events/device/";
    static final String NODE_PREFIX = "$hw/events/node/";

    static final String TWIN_UPDATE = "/twin/update";
    static final String TWIN_UPDATE_RESULT = "/twin/update/result";
    static final String TWIN_UPDATE_DELTA = "/twin/update/delta";
    static final String TWIN_UPDATE_DOCUMENT = "/twin/update/document";
    static final String TWIN_GET = "/twin/get";
    static final String TWIN_GET_RESULT = "/twin/get/result";
    static final String TWIN_CLOUD_UPDATED = "/twin/cloud_updated";
    static final String STATE_UPDATE = "/state/update";
    static final String STATE_UPDATE_RESULT = "/state/update/result";
    static final String STATE_GET = "/state/get";
    static final String DEVICE_UPDATED = "/updated";
    static final String MEMBERSHIP_GET = "/membership/get";
    static final String MEMBERSHIP_GET_RESULT = "/membership/get/result";
    static final String MEMBERSHIP_UPDATED = "/membership/updated";

    /** Inbound suffixes, the more specific first ({@code /twin/cloud_updated} also ends in {@code updated}). */
    private static final String[] DEVICE_SUFFIXES = {TWIN_UPDATE, TWIN_GET, TWIN_CLOUD_UPDATED, STATE_UPDATE,
        STATE_GET, DEVICE_UPDATED};

    /** What a topic asks for: {@code suffix} one of the constants above, {@code id} the device id or node name. */
    record Inbound(String suffix, String id) {
        boolean device() {
            return !MEMBERSHIP_GET.equals(suffix);
        }
    }

    private Topics() {
    }

    /** EventBus names the topic base64url-encoded (KubeEdge) or, tolerated here, as is. Null when neither. */
    static String decode(String resource) {
        if (resource == null || resource.isEmpty()) {
            return null;
        }
        if (resource.startsWith("$hw/")) {
            return resource;
        }
        try {
            String t = new String(Base64.getUrlDecoder().decode(resource), StandardCharsets.UTF_8);
            return t.startsWith("$hw/") ? t : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String encode(String topic) {
        return Base64.getUrlEncoder().encodeToString(topic.getBytes(StandardCharsets.UTF_8));
    }

    /** Null for a topic DeviceTwin does not serve. */
    static Inbound parse(String topic) {
        if (topic.startsWith(NODE_PREFIX) && topic.endsWith(MEMBERSHIP_GET)) {
            String node = topic.substring(NODE_PREFIX.length(), topic.length() - MEMBERSHIP_GET.length());
            return validSegments(node, 1) ? new Inbound(MEMBERSHIP_GET, node) : null;
        }
        if (!topic.startsWith(DEVICE_PREFIX)) {
            return null;
        }
        String rest = topic.substring(DEVICE_PREFIX.length());
        for (String suffix : DEVICE_SUFFIXES) {
            if (rest.endsWith(suffix)) {
                String id = rest.substring(0, rest.length() - suffix.length());
                return validSegments(id, 2) ? new Inbound(suffix, id) : null;
            }
        }
        return null;
    }

    private static boolean validSegments(String id, int max) {
        if (id.isEmpty() || id.length() > 253) {
            return false;
        }
        String[] parts = id.split("/", -1);
        if (parts.length > max) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.contains("+") || p.contains("#")) {
                return false;
            }
        }
        return true;
    }

    static String device(String id, String suffix) {
        return DEVICE_PREFIX + id + suffix;
    }

    static String node(String node, String suffix) {
        return NODE_PREFIX + node + suffix;
    }
}

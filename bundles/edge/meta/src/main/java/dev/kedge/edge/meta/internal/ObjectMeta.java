package dev.kedge.edge.meta.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.json.Json;

/** The {@code metadata.resourceVersion} and {@code metadata.uid} of an object, as JSON or as message content. */
record ObjectMeta(String resourceVersion, String uid) {
    static final ObjectMeta NONE = new ObjectMeta("", "");

    static ObjectMeta ofJson(String json) {
        if (json == null || json.isEmpty()) {
            return NONE;
        }
        try {
            return of(Json.parse(json));
        } catch (JsonProcessingException e) {
            return NONE; // not an object: nothing to compare against
        }
    }

    /** From the content; the header's resourceversion wins when set (the cloud fills it from the object). */
    static ObjectMeta ofMessage(Message m) {
        ObjectMeta content = m.content() instanceof String s ? ofJson(s) : of(MessageCodec.contentTree(m));
        String rv = m.header().resourceVersion();
        return rv == null || rv.isEmpty() ? content : new ObjectMeta(rv, content.uid());
    }

    private static ObjectMeta of(JsonNode n) {
        if (n == null || !n.isObject()) {
            return NONE;
        }
        JsonNode meta = n.path("metadata");
        return new ObjectMeta(meta.path("resourceVersion").asText(""), meta.path("uid").asText(""));
    }

    /** True when this version is numerically newer than {@code other}; unparsable versions are never newer. */
    boolean newerThan(ObjectMeta other) {
        try {
            return Long.parseLong(resourceVersion) > Long.parseLong(other.resourceVersion);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

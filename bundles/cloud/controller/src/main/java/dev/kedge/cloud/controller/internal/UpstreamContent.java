package dev.kedge.cloud.controller.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;

/**
 * The content shapes of KubeEdge's upstream requests and answers that are not plain objects: patches (a JSON string
 * of base64url), pod deletes (the UID as a JSON string) and {@code ObjectResp} answers. Wrong shapes:
 * IllegalArgumentException.
 */
final class UpstreamContent {
    private UpstreamContent() {
    }

    /**
     * The strategic-merge patch of a {@code podpatch}/{@code nodepatch}: KubeEdge sends Go's
     * {@code base64.URLEncoding} of it as a JSON string; standard base64 and a plain JSON object are accepted too.
     */
    static ObjectNode patch(Message m) {
        Object c = m.content();
        if (c instanceof JsonNode n && n.isTextual()) {
            c = n.asText();
        }
        if (c instanceof ObjectNode object) {
            return object.deepCopy();
        }
        if (!(c instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("a patch is a base64 string of a JSON object, got "
                    + (c == null ? "nothing" : MessageCodec.contentTree(m).getNodeType()));
        }
        String text = s.strip();
        String json = text.startsWith("{") ? text : new String(base64(text), StandardCharsets.UTF_8);
        try {
            JsonNode tree = MessageCodec.mapper().readTree(json);
            if (tree instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalArgumentException("the decoded patch is not a JSON object");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the decoded patch is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException urlFailed) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the patch is neither base64url nor base64", e);
            }
        }
    }

    /** The UID of a pod {@code delete}: KubeEdge's JSON string, or an object's {@code metadata.uid}; may be empty. */
    static String podUid(Message m) {
        Object c = m.content();
        if (c instanceof String s) {
            return s.strip();
        }
        JsonNode tree = MessageCodec.contentTree(m);
        if (tree == null || tree.isNull()) {
            return "";
        }
        if (tree.isTextual()) {
            return tree.asText().strip();
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("a pod delete carries the pod UID or the pod, got "
                    + tree.getNodeType());
        }
        return tree.path("metadata").path("uid").asText("");
    }
}

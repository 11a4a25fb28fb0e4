package dev.kedge.edge.edged.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.json.Json;

/** Reading the pod messages MetaManager hands over: content as a tree, the UID of a delete. */
final class PodMessages {
    private PodMessages() {
    }

    /** The content as a tree (a JSON text content is parsed); null when it is not JSON. */
    static JsonNode tree(Message m) {
        try {
            Object c = m.content();
            if (c instanceof String s) {
                return Json.parse(s);
            }
            return MessageCodec.contentTree(m);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A delete's pod UID: the content itself (KubeEdge's edge sends the UID) or the object's metadata.uid. */
    static String deletedUid(Message m) {
        Object c = m.content();
        if (c instanceof String s && !s.strip().startsWith("{")) {
            return s.strip();
        }
        JsonNode n = tree(m);
        if (n != null && n.isTextual()) {
            return n.asText().strip();
        }
        return n == null ? "" : n.path("metadata").path("uid").asText("");
    }
}

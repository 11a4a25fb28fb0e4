package dev.kedge.edge.eventbus.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Whether a payload is one JSON object, checked by streaming through it (no tree is built). */
final class JsonCheck {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonCheck() {
    }

    static boolean isObject(byte[] payload) {
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null; // nothing after the object
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

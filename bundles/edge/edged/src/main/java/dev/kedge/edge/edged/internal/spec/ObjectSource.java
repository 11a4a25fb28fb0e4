package dev.kedge.edge.edged.internal.spec;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the pod's ConfigMaps and Secrets come from (MetaManager's local store); the JSON is the API server's
 * ({@code data}, {@code binaryData}; a Secret's {@code data} values are base64). Empty = the object does not exist.
 * A failure to look up (store unreachable) is a {@link PodSpecException}, not an empty answer.
 */
public interface ObjectSource {
    Optional<JsonNode> configMap(String namespace, String name) throws PodSpecException;

    Optional<JsonNode> secret(String namespace, String name) throws PodSpecException;
}

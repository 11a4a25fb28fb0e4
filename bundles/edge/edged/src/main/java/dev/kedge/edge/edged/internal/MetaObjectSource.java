package dev.kedge.edge.edged.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.Operations;
import dev.kedge.core.json.Json;
import dev.kedge.edge.edged.internal.spec.ObjectSource;
import dev.kedge.edge.edged.internal.spec.PodSpecException;

/**
 * A pod's ConfigMaps and Secrets the KubeEdge way: a sync {@code query <ns>/<type>/<name>} to MetaManager, which
 * asks the cloud when connected and answers from {@code meta} when not. Its answer is a JSON array of the stored
 * JSON strings (empty = not found); the cloud's "not found" comes back as an error.
 */
final class MetaObjectSource implements ObjectSource {
    private final MessageBus bus;
    private final Duration timeout;

    MetaObjectSource(MessageBus bus, Duration timeout) {
        this.bus = bus;
        this.timeout = timeout;
    }

    @Override
    public Optional<JsonNode> configMap(String namespace, String name) throws PodSpecException {
        return query(namespace, "configmap", name);
    }

    @Override
    public Optional<JsonNode> secret(String namespace, String name) throws PodSpecException {
        return query(namespace, "secret", name);
    }

    private Optional<JsonNode> query(String namespace, String type, String name) throws PodSpecException {
        String resource = namespace + "/" + type + "/" + name;
        Message answer;
        try {
            answer = bus.sendSync(ModuleNames.METAMANAGER, Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META,
                    Operations.QUERY, resource, ""), timeout);
        } catch (BusException e) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "cannot read " + type + " \"" + name
                    + "\": " + e.getMessage());
        }
        if (Operations.ERROR.equals(answer.operation())) {
            String why = answer.contentAsString();
            if (why.contains("not found")) {
                return Optional.empty();
            }
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "cannot read " + type + " \"" + name + "\": "
                    + why);
        }
        ObjectResp resp = ObjectResp.read(answer);
        if (resp.failed()) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "cannot read " + type + " \"" + name + "\": "
                    + resp.failure());
        }
        JsonNode content = resp.object();
        if (content.isArray()) {
            if (content.isEmpty()) {
                return Optional.empty();
            }
            content = content.get(0);
        }
        if (content.isTextual()) {
            try {
                content = Json.parse(content.asText());
            } catch (IOException e) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR, type + " \"" + name
                        + "\" is stored as malformed JSON");
            }
        }
        if (content.isObject() && (content.has(ObjectResp.OBJECT) || content.has(ObjectResp.ERR))) {
            content = content.path(ObjectResp.OBJECT); // an ObjectResp cached as it came
        }
        return content.isObject() ? Optional.of(content) : Optional.empty();
    }
}

package dev.kedge.edge.meta.internal;

import dev.kedge.core.Message;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.json.Json;

/**
 * The cloud's answer to a remote op, as MetaManager caches it: the unwrapped object of KubeEdge's {@code ObjectResp}
 * (registrations, leases), or the answer as it came (query answers, older clouds, content that is not JSON).
 */
record RemoteAnswer(String object, String failure) {

    static RemoteAnswer of(ObjectResp resp, Message answer) {
        if (resp.failed()) {
            return new RemoteAnswer(null, resp.failure());
        }
        if (!resp.wrapped()) {
            return new RemoteAnswer(answer.contentAsString(), null);
        }
        if (!resp.object().isObject()) {
            return new RemoteAnswer(null, "the cloud answered an ObjectResp without an Object");
        }
        return new RemoteAnswer(Json.write(resp.object()), null);
    }

    boolean failed() {
        return failure != null;
    }
}

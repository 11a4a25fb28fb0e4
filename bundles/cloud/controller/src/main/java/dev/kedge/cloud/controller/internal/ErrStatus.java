package dev.kedge.cloud.controller.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.MessageCodec;
import dev.kedge.core.ObjectResp;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A failure as KubeEdge's cloud answers it: Go's JSON of a client-go {@code StatusError},
 * {@code {"ErrStatus": <metav1.Status>}} — bare for object queries, as the {@code Err} of an {@code ObjectResp}
 * otherwise. KubeEdge's edge reads the Status' reason (e.g. {@code apierrors.IsNotFound} on a lease query).
 */
final class ErrStatus {
    private ErrStatus() {
    }

    /** The API server's own Status when it sent one; else one made from the exception's code and message. */
    static ObjectNode of(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getCode() != null && e.getStatus().getCode() > 0) {
            JsonNode status = MessageCodec.mapper().valueToTree(e.getStatus());
            return wrap((ObjectNode) status);
        }
        int code = e.getCode() > 0 ? e.getCode() : 500;
        return of(code, reason(code), e.getMessage(), null, null);
    }

    static ObjectNode notFound(String kindPlural, String name) {
        return of(404, "NotFound", kindPlural + " \"" + name + "\" not found", kindPlural, name);
    }

    static ObjectNode forbidden(String message) {
        return of(403, "Forbidden", message, null, null);
    }

    static ObjectNode badRequest(String message) {
        return of(400, "BadRequest", message, null, null);
    }

    static ObjectNode internal(String message) {
        return of(500, "InternalError", message, null, null);
    }

    /** {@code {"Object": null, "Err": {"ErrStatus": …}}}. */
    static ObjectNode inObjectResp(ObjectNode errStatus) {
        ObjectNode resp = MessageCodec.mapper().createObjectNode();
        resp.putNull(ObjectResp.OBJECT);
        resp.set(ObjectResp.ERR, errStatus);
        return resp;
    }

    static ObjectNode of(int code, String reason, String message, String kind, String name) {
        ObjectNode status = MessageCodec.mapper().createObjectNode();
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message == null ? "" : message);
        status.put("reason", reason);
        if (kind != null || name != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
        }
        status.put("code", code);
        return wrap(status);
    }

    private static ObjectNode wrap(ObjectNode status) {
        ObjectNode err = MessageCodec.mapper().createObjectNode();
        err.set(ObjectResp.ERR_STATUS, status);
        return err;
    }

    private static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "InternalError";
        };
    }
}

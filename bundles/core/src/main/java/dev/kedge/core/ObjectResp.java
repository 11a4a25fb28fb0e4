package dev.kedge.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.json.Json;

/**
 * KubeEdge's {@code ObjectResp{Object, Err}}: how EdgeController answers registrations, lease renewals and status
 * patches ({@code {"Object": …, "Err": null}} on success). Reading also takes an {@code error} message (a failure) and
 * a bare object (query answers, older clouds).
 *
 * @param object  the answered object; MissingNode when there is none or the content is not JSON
 * @param failure why the request failed, or null
 * @param wrapped whether the answer had the ObjectResp shape
 */
public record ObjectResp(JsonNode object, String failure, boolean wrapped) {
    public static final String OBJECT = "Object";
    public static final String ERR = "Err";
    /** Go's JSON of a client-go {@code StatusError}: {@code {"ErrStatus": <metav1.Status>}}. */
    public static final String ERR_STATUS = "ErrStatus";

    /** The success answer Go's encoding/json writes for {@code ObjectResp{Object: object}}. */
    public static ObjectNode of(JsonNode object) {
        ObjectNode resp = Json.object();
        resp.set(OBJECT, object);
        resp.putNull(ERR);
        return resp;
    }

    /** Reads an answer; any non-null {@code Err} is a failure (Go writes error values as {@code {}} or ErrStatus). */
    public static ObjectResp read(Message answer) {
        if (Operations.ERROR.equals(answer.operation())) {
            return new ObjectResp(MissingNode.getInstance(), answer.contentAsString(), false);
        }
        JsonNode content;
        try {
            content = MessageCodec.contentAs(answer, JsonNode.class);
        } catch (MalformedMessageException e) {
            return new ObjectResp(MissingNode.getInstance(), null, false);
        }
        if (content != null && content.isObject() && content.size() == 1 && content.has(ERR_STATUS)) {
            // a KubeEdge cloud answers a failed object query with the bare StatusError
            return new ObjectResp(MissingNode.getInstance(), describe(content), false);
        }
        if (content == null || !content.isObject() || !(content.has(OBJECT) || content.has(ERR))) {
            return new ObjectResp(content == null ? MissingNode.getInstance() : content, null, false);
        }
        JsonNode err = content.path(ERR);
        if (!err.isMissingNode() && !err.isNull()) {
            return new ObjectResp(MissingNode.getInstance(), describe(err), true);
        }
        return new ObjectResp(content.path(OBJECT), null, true);
    }

    /** "the cloud answered NotFound (404): configmaps "x" not found" from a StatusError, else the raw JSON. */
    private static String describe(JsonNode err) {
        JsonNode status = err.path(ERR_STATUS);
        if (!status.isObject()) {
            return "the cloud answered Err " + Json.write(err);
        }
        return "the cloud answered " + status.path("reason").asText("Failure") + " (" + status.path("code").asInt()
                + "): " + status.path("message").asText("");
    }

    public boolean failed() {
        return failure != null;
    }

    /** A text field of the answered object by JSON pointer, e.g. {@code /metadata/uid}; empty when absent. */
    public String field(String pointer) {
        return object.at(pointer).asText("");
    }
}

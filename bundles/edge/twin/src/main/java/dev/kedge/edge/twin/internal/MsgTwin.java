package dev.kedge.edge.twin.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of an incoming {@code twin} map (KubeEdge's {@code MsgTwin}), checked as Go's decoder and
 * {@code UnmarshalDeviceTwinUpdate} check it. {@code removed} = the entry was JSON null (delete an optional twin).
 * A value object without {@code value} has {@code hasExpected} true and a null value.
 */
record MsgTwin(boolean removed, boolean hasExpected, String expected, boolean hasActual, String actual,
        Boolean optional, String metaType, ObjectNode metadata, TwinVersion expectedVersion,
        TwinVersion actualVersion) {
    // dtcommon.ValidateTwinKey / ValidateTwinValue
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9-_.,:/@#]{1,128}$");
    private static final Pattern VALUE = Pattern.compile("^[a-zA-Z0-9-_.,:/@#]{1,512}$");
    static final String ERR_UNMARSHAL = "Unmarshal update request body failed, please check the request";
    static final String ERR_NO_TWIN = "Update twin error, key:twin does not exist";
    static final String ERR_KEY = "The key of twin must only include upper or lowercase letters, number, english, and"
            + " special letter - _ . , : / @ # and the length of key should be less than 128 bytes";
    static final String ERR_VALUE = "The value of twin must only include upper or lowercase letters, number, english,"
            + " and special letter - _ . , : / @ # and the length of value should be less than 512 bytes";

    static final MsgTwin REMOVED = new MsgTwin(true, false, null, false, null, null, null, null, null, null);

    /** The {@code twin} map of an update, in payload order; BadInput with KubeEdge's reasons. */
    static Map<String, MsgTwin> mapOf(JsonNode payload) {
        JsonNode twin = payload.get("twin");
        if (twin == null || twin.isNull()) {
            throw new BadInput(ERR_NO_TWIN);
        }
        if (!twin.isObject()) {
            throw new BadInput(ERR_UNMARSHAL);
        }
        Map<String, MsgTwin> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEY.matcher(e.getKey()).matches()) {
                throw new BadInput(ERR_KEY);
            }
            out.put(e.getKey(), of(e.getValue()));
        }
        return out;
    }

    static MsgTwin of(JsonNode n) {
        if (n == null || n.isNull()) {
            return REMOVED;
        }
        if (!n.isObject()) {
            throw new BadInput(ERR_UNMARSHAL);
        }
        JsonNode exp = valueObject(n, "expected");
        JsonNode act = valueObject(n, "actual");
        JsonNode opt = n.get("optional");
        if (opt != null && !opt.isNull() && !opt.isBoolean()) {
            throw new BadInput(ERR_UNMARSHAL);
        }
        JsonNode meta = n.get("metadata");
        String type = null;
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new BadInput(ERR_UNMARSHAL);
            }
            type = stringField(meta, "type");
        }
        try {
            return new MsgTwin(false, exp != null, exp == null ? null : stringField(exp, "value"), act != null,
                    act == null ? null : stringField(act, "value"),
                    opt == null || opt.isNull() ? null : opt.asBoolean(), type,
                    meta == null || meta.isNull() ? null : (ObjectNode) meta,
                    TwinVersion.of(n.get("expected_version")), TwinVersion.of(n.get("actual_version")));
        } catch (BadInput e) {
            throw new BadInput(ERR_UNMARSHAL);
        }
    }

    private static JsonNode valueObject(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new BadInput(ERR_UNMARSHAL);
        }
        JsonNode meta = v.get("metadata");
        if (meta != null && !meta.isNull() && (!meta.isObject()
                || meta.has("timestamp") && !meta.get("timestamp").isNull() && !meta.get("timestamp").isIntegralNumber())) {
            throw new BadInput(ERR_UNMARSHAL);
        }
        String value = stringField(v, "value");
        if (value != null && !value.isEmpty() && !VALUE.matcher(value).matches()) {
            throw new BadInput(ERR_VALUE);
        }
        return v;
    }

    private static String stringField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadInput(ERR_UNMARSHAL);
        }
        return v.asText();
    }

    /** Metadata without {@code type}, as KubeEdge stores it in the {@code metadata} column; null when none. */
    String metadataColumn() {
        if (metadata == null) {
            return null;
        }
        if (metadata.size() == 1 && metadata.has("type")) {
            return "{}"; // the usual case, without copying
        }
        ObjectNode copy = metadata.deepCopy();
        copy.remove("type");
        return Json.write(copy);
    }
}

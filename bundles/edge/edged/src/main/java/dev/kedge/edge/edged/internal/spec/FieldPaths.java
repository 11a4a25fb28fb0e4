package dev.kedge.edge.edged.internal.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The downward API's {@code fieldRef} paths, as kubelet resolves them. Env may use all of them; volume files only the
 * {@code metadata.*} ones (the others read as empty there, since a volume is set up before the pod has an IP).
 */
final class FieldPaths {
    private FieldPaths() {
    }

    /** Where the pod runs: what the pod JSON may not know yet. */
    record Runtime(String nodeName, String podIP, String hostIP) {
        static final Runtime NONE = new Runtime("", "", "");
    }

    static String value(JsonNode pod, String fieldPath, Runtime at) throws PodSpecException {
        JsonNode meta = pod.path("metadata");
        String path = fieldPath == null ? "" : fieldPath.strip();
        switch (path) {
            case "metadata.name":
                return PodJson.name(pod);
            case "metadata.namespace":
                return PodJson.namespace(pod);
            case "metadata.uid":
                return PodJson.uid(pod);
            case "metadata.labels":
                return formatMap(meta.path("labels"));
            case "metadata.annotations":
                return formatMap(meta.path("annotations"));
            case "spec.nodeName":
                return at.nodeName().isEmpty() ? PodJson.text(pod.path("spec"), "nodeName") : at.nodeName();
            case "spec.serviceAccountName":
                return PodJson.text(pod.path("spec"), "serviceAccountName");
            case "status.podIP":
                return at.podIP();
            case "status.podIPs":
                return at.podIP();
            case "status.hostIP":
                return at.hostIP();
            default:
                break;
        }
        for (String map : new String[] {"labels", "annotations"}) {
            String prefix = "metadata." + map + "[";
            if (path.startsWith(prefix) && path.endsWith("]")) {
                String key = unquote(path.substring(prefix.length(), path.length() - 1));
                return PodJson.text(meta.path(map), key);
            }
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR, "unsupported fieldPath: " + fieldPath);
    }

    private static String unquote(String key) {
        String k = key.strip();
        if (k.length() >= 2 && (k.charAt(0) == '\'' || k.charAt(0) == '"') && k.charAt(k.length() - 1) == k.charAt(0)) {
            return k.substring(1, k.length() - 1);
        }
        return k;
    }

    /** Kubelet's file format for all labels or annotations: sorted {@code key="value"} lines, Go-quoted. */
    private static String formatMap(JsonNode map) {
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(PodJson.stringMap(map)).forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(k).append('=').append(quote(v));
        });
        return out.toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}

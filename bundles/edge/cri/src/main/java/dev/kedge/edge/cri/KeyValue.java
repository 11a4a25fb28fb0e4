package dev.kedge.edge.cri;

/** An environment variable, in the order the pod spec gives them (later ones may refer to earlier ones). */
public record KeyValue(String key, String value) {
}

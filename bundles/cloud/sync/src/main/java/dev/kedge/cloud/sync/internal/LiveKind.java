package dev.kedge.cloud.sync.internal;

import java.util.Locale;

/** The kinds EdgeController sends downstream (so ObjectSyncs can name them) and the resource type strings of each. */
enum LiveKind {
    POD("Pod"), CONFIGMAP("ConfigMap"), SECRET("Secret");

    final String kind;
    final String type;

    LiveKind(String kind) {
        this.kind = kind;
        this.type = kind.toLowerCase(Locale.ROOT);
    }

    /** null when we do not watch that kind. */
    static LiveKind of(String kind) {
        for (LiveKind k : values()) {
            if (k.kind.equals(kind)) {
                return k;
            }
        }
        return null;
    }

    /** For an ack without {@code kind}: the kind behind a resource type, e.g. configmap → ConfigMap. */
    static String kindOf(String type) {
        for (LiveKind k : values()) {
            if (k.type.equals(type)) {
                return k.kind;
            }
        }
        return type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}

package dev.kedge.edge.cri.internal;

import java.util.HashMap;
import java.util.Map;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/** CRI's container messages to Kedge's records (field numbers of {@code cri.proto}, as in {@link FromCri}). */
final class ContainerFromCri {

    /** ContainerMetadata. */
    private record Metadata(String name, int attempt) {
        static final Metadata NONE = new Metadata("", 0);
    }

    private ContainerFromCri() {
    }

    private static Metadata metadata(ProtoReader r) throws WireFormatException {
        String name = "";
        int attempt = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> attempt = r.int32();
                default -> r.skip();
            }
        }
        return new Metadata(name, attempt);
    }

    /** Container. */
    static ContainerInfo container(ProtoReader r) throws WireFormatException {
        String id = "";
        String sandboxId = "";
        Metadata m = Metadata.NONE;
        String image = "";
        String imageRef = "";
        int state = 0;
        long createdAt = 0;
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.string();
                case 2 -> sandboxId = r.string();
                case 3 -> m = metadata(r.message());
                case 4 -> image = FromCri.singleString(r.message());
                case 5 -> imageRef = r.string();
                case 6 -> state = r.int32();
                case 7 -> createdAt = r.varint();
                case 8 -> FromCri.entry(r.message(), labels);
                case 9 -> FromCri.entry(r.message(), annotations);
                default -> r.skip();
            }
        }
        return new ContainerInfo(id, sandboxId, m.name(), m.attempt(), image, imageRef, state(state), createdAt,
                Map.copyOf(labels), Map.copyOf(annotations));
    }

    /**
     * ContainerStatus; an absent one (null) is all defaults. CRI's ContainerStatus lacks the sandbox id: the
     * caller finds it with ListContainers.
     */
    static dev.kedge.edge.cri.ContainerStatus containerStatus(ProtoReader r, String sandboxId)
            throws WireFormatException {
        String id = "";
        Metadata m = Metadata.NONE;
        int state = 0;
        long createdAt = 0;
        long startedAt = 0;
        long finishedAt = 0;
        int exitCode = 0;
        String image = "";
        String imageRef = "";
        String reason = "";
        String message = "";
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        String logPath = "";
        while (r != null && r.next()) {
            switch (r.field()) {
                case 1 -> id = r.string();
                case 2 -> m = metadata(r.message());
                case 3 -> state = r.int32();
                case 4 -> createdAt = r.varint();
                case 5 -> startedAt = r.varint();
                case 6 -> finishedAt = r.varint();
                case 7 -> exitCode = r.int32();
                case 8 -> image = FromCri.singleString(r.message());
                case 9 -> imageRef = r.string();
                case 10 -> reason = r.string();
                case 11 -> message = r.string();
                case 12 -> FromCri.entry(r.message(), labels);
                case 13 -> FromCri.entry(r.message(), annotations);
                case 15 -> logPath = r.string();
                default -> r.skip();
            }
        }
        ContainerInfo info = new ContainerInfo(id, sandboxId, m.name(), m.attempt(), image, imageRef, state(state),
                createdAt, Map.copyOf(labels), Map.copyOf(annotations));
        return new dev.kedge.edge.cri.ContainerStatus(info, startedAt, finishedAt, exitCode, reason, message, logPath);
    }

    static dev.kedge.edge.cri.ContainerStatus withSandbox(dev.kedge.edge.cri.ContainerStatus s, String sandboxId) {
        ContainerInfo i = s.info();
        ContainerInfo info = new ContainerInfo(i.id(), sandboxId, i.name(), i.attempt(), i.image(), i.imageRef(),
                i.state(), i.createdAtNanos(), i.labels(), i.annotations());
        return new dev.kedge.edge.cri.ContainerStatus(info, s.startedAtNanos(), s.finishedAtNanos(), s.exitCode(),
                s.reason(), s.message(), s.logPath());
    }

    /** CRI's ContainerState numbers; an unknown one (a newer runtime) is UNKNOWN. */
    static ContainerState state(int s) {
        switch (s) {
            case 0: return ContainerState.CREATED;
            case 1: return ContainerState.RUNNING;
            case 2: return ContainerState.EXITED;
            default: return ContainerState.UNKNOWN;
        }
    }
}

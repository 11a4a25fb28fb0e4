package dev.kedge.edge.cri.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/**
 * CRI messages to Kedge's records, decoded field by field (numbers of {@code cri.proto}, the message named in each
 * method's comment). Absent fields are proto3 defaults; fields Kedge does not read are skipped.
 */
final class FromCri {
    /** ExecSync output kept per stream (the API's promise; containerd itself allows 16 MiB). */
    static final int MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;
    static final String RUNTIME_READY = "RuntimeReady";
    static final String NETWORK_READY = "NetworkReady";
    private static final int SANDBOX_READY = 0;
    private static final int NAMESPACE_NODE = 2;

    /** RuntimeCondition. */
    private record Condition(String type, boolean status, String reason, String message) {
    }

    /** PodSandboxMetadata and ContainerMetadata (no uid nor namespace). */
    private record Metadata(String name, String uid, String namespace, int attempt) {
        static final Metadata NONE = new Metadata("", "", "", 0);
    }

    private FromCri() {
    }

    /** RuntimeStatus: the two required conditions; reason and message are those of the first that is false. */
    static RuntimeStatus status(ProtoReader r) throws WireFormatException {
        boolean runtime = false;
        boolean network = false;
        String reason = "";
        String message = "";
        for (Condition c : conditions(r)) {
            if (RUNTIME_READY.equals(c.type())) {
                runtime = c.status();
            } else if (NETWORK_READY.equals(c.type())) {
                network = c.status();
            } else {
                continue;
            }
            if (!c.status() && reason.isEmpty() && message.isEmpty()) {
                reason = c.reason();
                message = c.message();
            }
        }
        if (!runtime && reason.isEmpty() && message.isEmpty()) {
            message = "the runtime reports no " + RUNTIME_READY + " condition";
        }
        return new RuntimeStatus(runtime, network, reason, message);
    }

    private static List<Condition> conditions(ProtoReader r) throws WireFormatException {
        List<Condition> conditions = new ArrayList<>();
        while (r != null && r.next()) {
            if (r.field() == 1) {
                conditions.add(condition(r.message()));
            } else {
                r.skip();
            }
        }
        return conditions;
    }

    private static Condition condition(ProtoReader r) throws WireFormatException {
        String type = "";
        boolean status = false;
        String reason = "";
        String message = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> type = r.string();
                case 2 -> status = r.bool();
                case 3 -> reason = r.string();
                case 4 -> message = r.string();
                default -> r.skip();
            }
        }
        return new Condition(type, status, reason, message);
    }

    /** PodSandbox. */
    static SandboxInfo sandbox(ProtoReader r) throws WireFormatException {
        String id = "";
        Metadata m = Metadata.NONE;
        int state = SANDBOX_READY;
        long createdAt = 0;
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.string();
                case 2 -> m = sandboxMetadata(r.message());
                case 3 -> state = r.int32();
                case 4 -> createdAt = r.varint();
                case 5 -> entry(r.message(), labels);
                case 6 -> entry(r.message(), annotations);
                default -> r.skip();
            }
        }
        return sandbox(id, m, state, createdAt, labels, annotations);
    }

    /** PodSandboxStatus; an absent one (null) is all defaults, as protoc's getters give it. */
    static SandboxStatus sandboxStatus(ProtoReader r) throws WireFormatException {
        String id = "";
        Metadata m = Metadata.NONE;
        int state = SANDBOX_READY;
        long createdAt = 0;
        Map<String, String> labels = new HashMap<>();
        Map<String, String> annotations = new HashMap<>();
        String ip = "";
        List<String> more = new ArrayList<>();
        boolean hostNetwork = false;
        while (r != null && r.next()) {
            switch (r.field()) {
                case 1 -> id = r.string();
                case 2 -> m = sandboxMetadata(r.message());
                case 3 -> state = r.int32();
                case 4 -> createdAt = r.varint();
                case 5 -> ip = network(r.message(), ip, more);
                case 6 -> hostNetwork = hostNetwork(r.message());
                case 7 -> entry(r.message(), labels);
                case 8 -> entry(r.message(), annotations);
                default -> r.skip();
            }
        }
        return new SandboxStatus(sandbox(id, m, state, createdAt, labels, annotations), ip, List.copyOf(more),
                hostNetwork);
    }

    /** PodSandboxNetworkStatus: returns {@code ip}, adds {@code additional_ips}; a repeated message merges. */
    private static String network(ProtoReader r, String ip, List<String> more) throws WireFormatException {
        String result = ip;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> result = r.string();
                case 2 -> more.add(singleString(r.message()));
                default -> r.skip();
            }
        }
        return result;
    }

    /** LinuxPodSandboxStatus → Namespace (namespaces = 1) → NamespaceOption (options = 2) → network (1). */
    private static boolean hostNetwork(ProtoReader linux) throws WireFormatException {
        int network = 0;
        while (linux.next()) {
            if (linux.field() != 1) {
                linux.skip();
                continue;
            }
            ProtoReader namespace = linux.message();
            while (namespace.next()) {
                if (namespace.field() != 2) {
                    namespace.skip();
                    continue;
                }
                ProtoReader options = namespace.message();
                while (options.next()) {
                    if (options.field() == 1) {
                        network = options.int32();
                    } else {
                        options.skip();
                    }
                }
            }
        }
        return network == NAMESPACE_NODE;
    }

    private static SandboxInfo sandbox(String id, Metadata m, int state, long createdAt, Map<String, String> labels,
            Map<String, String> annotations) {
        return new SandboxInfo(id, m.name(), m.namespace(), m.uid(), m.attempt(),
                state == SANDBOX_READY ? SandboxState.READY : SandboxState.NOTREADY, createdAt, Map.copyOf(labels),
                Map.copyOf(annotations));
    }

    /** PodSandboxMetadata. */
    private static Metadata sandboxMetadata(ProtoReader r) throws WireFormatException {
        String name = "";
        String uid = "";
        String namespace = "";
        int attempt = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> uid = r.string();
                case 3 -> namespace = r.string();
                case 4 -> attempt = r.int32();
                default -> r.skip();
            }
        }
        return new Metadata(name, uid, namespace, attempt);
    }

    /** ContainerMetadata. */
    private static Metadata containerMetadata(ProtoReader r) throws WireFormatException {
        String name = "";
        int attempt = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> attempt = r.int32();
                default -> r.skip();
            }
        }
        return new Metadata(name, "", "", attempt);
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
                case 3 -> m = containerMetadata(r.message());
                case 4 -> image = singleString(r.message());
                case 5 -> imageRef = r.string();
                case 6 -> state = r.int32();
                case 7 -> createdAt = r.varint();
                case 8 -> entry(r.message(), labels);
                case 9 -> entry(r.message(), annotations);
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
                case 2 -> m = containerMetadata(r.message());
                case 3 -> state = r.int32();
                case 4 -> createdAt = r.varint();
                case 5 -> startedAt = r.varint();
                case 6 -> finishedAt = r.varint();
                case 7 -> exitCode = r.int32();
                case 8 -> image = singleString(r.message());
                case 9 -> imageRef = r.string();
                case 10 -> reason = r.string();
                case 11 -> message = r.string();
                case 12 -> entry(r.message(), labels);
                case 13 -> entry(r.message(), annotations);
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

    /** Image. */
    static ImageInfo image(ProtoReader r) throws WireFormatException {
        String id = "";
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        long size = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.string();
                case 2 -> tags.add(r.string());
                case 3 -> digests.add(r.string());
                case 4 -> size = r.varint();
                default -> r.skip();
            }
        }
        return new ImageInfo(id, List.copyOf(tags), List.copyOf(digests), size);
    }

    /** ImageSpec's {@code image} and PodIP's {@code ip}: a message of which Kedge reads string field 1. */
    static String singleString(ProtoReader r) throws WireFormatException {
        String value = "";
        while (r.next()) {
            if (r.field() == 1) {
                value = r.string();
            } else {
                r.skip();
            }
        }
        return value;
    }

    /** One entry of a {@code map<string, string>} into {@code map}; a later duplicate key wins, as in protobuf. */
    static void entry(ProtoReader r, Map<String, String> map) throws WireFormatException {
        String key = "";
        String value = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> key = r.string();
                case 2 -> value = r.string();
                default -> r.skip();
            }
        }
        map.put(key, value);
    }

    /** UTF-8 text of at most {@link #MAX_EXEC_OUTPUT_BYTES} bytes of {@code output}. */
    static String output(byte[] output) {
        byte[] kept = output.length > MAX_EXEC_OUTPUT_BYTES ? Arrays.copyOf(output, MAX_EXEC_OUTPUT_BYTES) : output;
        return new String(kept, StandardCharsets.UTF_8);
    }
}

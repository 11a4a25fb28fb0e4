package dev.kedge.edge.cri.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/** CRI's pod sandbox messages to Kedge's records (field numbers of {@code cri.proto}, as in {@link FromCri}). */
final class SandboxFromCri {
    private static final int SANDBOX_READY = 0;
    private static final int NAMESPACE_NODE = 2;

    /** PodSandboxMetadata. */
    private record Metadata(String name, String uid, String namespace, int attempt) {
        static final Metadata NONE = new Metadata("", "", "", 0);
    }

    private SandboxFromCri() {
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
                case 2 -> m = metadata(r.message());
                case 3 -> state = r.int32();
                case 4 -> createdAt = r.varint();
                case 5 -> FromCri.entry(r.message(), labels);
                case 6 -> FromCri.entry(r.message(), annotations);
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
                case 2 -> m = metadata(r.message());
                case 3 -> state = r.int32();
                case 4 -> createdAt = r.varint();
                case 5 -> ip = network(r.message(), ip, more);
                case 6 -> hostNetwork = hostNetwork(r.message());
                case 7 -> FromCri.entry(r.message(), labels);
                case 8 -> FromCri.entry(r.message(), annotations);
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
                case 2 -> more.add(FromCri.singleString(r.message()));
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
    private static Metadata metadata(ProtoReader r) throws WireFormatException {
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
}

package dev.kedge.edge.cri.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/**
 * CRI messages to Kedge's records, decoded field by field (numbers of {@code cri.proto}, the message named in each
 * method's comment): the runtime's status, images and the pieces all answers share; sandboxes and containers are in
 * {@link SandboxFromCri} and {@link ContainerFromCri}. Absent fields are proto3 defaults; fields Kedge does not read
 * are skipped. A singular nested message sent twice counts in its last occurrence (protobuf would merge the two; no
 * runtime sends one twice).
 */
final class FromCri {
    /** ExecSync output kept per stream (the API's promise; containerd itself allows 16 MiB). */
    static final int MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;
    static final String RUNTIME_READY = "RuntimeReady";
    static final String NETWORK_READY = "NetworkReady";

    /** RuntimeCondition. */
    private record Condition(String type, boolean status, String reason, String message) {
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

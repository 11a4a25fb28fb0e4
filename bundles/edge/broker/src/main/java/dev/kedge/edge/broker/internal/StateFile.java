package dev.kedge.edge.broker.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broker's persistent state in one binary file: retained messages and persistent sessions (subscriptions,
 * undelivered QoS 1 and 2 messages and, since version 2, the QoS 2 packet ids received and not yet released, so a
 * PUBLISH the client re-sends after a restart is not delivered twice). Version 1 files still load. Written to a temporary file in the same directory, then renamed over the old one,
 * so a crash leaves the previous state or the new one, never half of one.
 */
final class StateFile {
    private static final int MAGIC = 0x4b4d5153; // "KMQS"
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_QOS2_IDS = 1;
    /** Sanity bounds on what a read accepts: a damaged file fails cleanly instead of allocating wildly. */
    private static final int MAX_COUNT = 10_000_000;
    private static final int MAX_BYTES = 268_435_455;

    record SavedSession(String clientId, long offlineSinceMs, Map<String, Integer> subscriptions,
            List<Session.Delivery> pending, Set<Integer> qos2Received) {
    }

    record State(List<Message> retained, List<SavedSession> sessions) {
        static final State EMPTY = new State(List.of(), List.of());
    }

    private StateFile() {
    }

    static void write(Path file, State state) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(state.retained().size());
            for (Message m : state.retained()) {
                message(out, m);
            }
            out.writeInt(state.sessions().size());
            for (SavedSession s : state.sessions()) {
                string(out, s.clientId());
                out.writeLong(s.offlineSinceMs());
                out.writeInt(s.subscriptions().size());
                for (Map.Entry<String, Integer> e : s.subscriptions().entrySet()) {
                    string(out, e.getKey());
                    out.writeByte(e.getValue());
                }
                out.writeInt(s.pending().size());
                for (Session.Delivery d : s.pending()) {
                    message(out, d.message());
                    out.writeByte(d.qos());
                    out.writeBoolean(d.retain());
                }
                out.writeInt(s.qos2Received().size());
                for (int id : s.qos2Received()) {
                    out.writeShort(id);
                }
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The saved state; {@link State#EMPTY} if there is no file; IOException if it is damaged. */
    static State read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return State.EMPTY;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int version = in.readInt() == MAGIC ? in.readInt() : -1;
            if (version != VERSION && version != VERSION_WITHOUT_QOS2_IDS) {
                throw new IOException(file + " is not a broker state file of version " + VERSION_WITHOUT_QOS2_IDS
                        + " or " + VERSION);
            }
            List<Message> retained = new ArrayList<>();
            for (int i = count(in); i > 0; i--) {
                retained.add(message(in));
            }
            List<SavedSession> sessions = new ArrayList<>();
            for (int i = count(in); i > 0; i--) {
                String id = string(in);
                long offline = in.readLong();
                Map<String, Integer> subs = new LinkedHashMap<>();
                for (int j = count(in); j > 0; j--) {
                    subs.put(string(in), qos(in));
                }
                List<Session.Delivery> pending = new ArrayList<>();
                for (int j = count(in); j > 0; j--) {
                    pending.add(new Session.Delivery(message(in), qos(in), in.readBoolean()));
                }
                Set<Integer> qos2 = new LinkedHashSet<>();
                for (int j = version == VERSION_WITHOUT_QOS2_IDS ? 0 : count(in); j > 0; j--) {
                    int packetId = in.readUnsignedShort();
                    if (packetId == 0) {
                        throw new IOException("damaged broker state: packet id 0");
                    }
                    qos2.add(packetId);
                }
                sessions.add(new SavedSession(id, offline, subs, pending, qos2));
            }
            if (in.read() != -1) {
                throw new IOException(file + " has bytes after its end");
            }
            return new State(retained, sessions);
        }
    }

    private static void message(DataOutputStream out, Message m) throws IOException {
        string(out, m.topic());
        bytes(out, m.payload());
        out.writeByte(m.qos());
        out.writeBoolean(m.retain());
        string(out, m.publisher());
        out.writeBoolean(m.fromClient());
    }

    private static Message message(DataInputStream in) throws IOException {
        return new Message(string(in), bytes(in), qos(in), in.readBoolean(), string(in), in.readBoolean());
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        bytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(DataInputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("damaged broker state: a field of " + n + " bytes");
        }
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("damaged broker state: truncated");
        }
        return b;
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("damaged broker state: a count of " + n);
        }
        return n;
    }

    private static int qos(DataInputStream in) throws IOException {
        int q = in.readUnsignedByte();
        if (q > 2) {
            throw new IOException("damaged broker state: QoS " + q);
        }
        return q;
    }
}

package dev.kedge.edge.broker.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import dev.kedge.edge.broker.internal.mqtt.Packet;
import dev.kedge.edge.broker.internal.mqtt.PacketReader;
import dev.kedge.edge.broker.internal.mqtt.PacketWriter;

/** A bare MQTT client on a plain socket: sends exactly the packets (or bytes) a test writes, reads what comes. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final OutputStream out;
    private final PacketReader in;

    RawClient(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Over a socket the test made, e.g. a TLS one. */
    RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5_000);
        out = socket.getOutputStream();
        in = new PacketReader(new BufferedInputStream(socket.getInputStream()), PacketReader.MAX_REMAINING_LENGTH);
    }

    /** Connects: {@code CONNECT} then the broker's CONNACK. */
    static RawClient connect(int port, String id, boolean clean, int keepAlive) throws IOException {
        RawClient c = new RawClient(port);
        Packet.ConnAck ack = c.connect(new Packet.Connect("MQTT", 4, clean, keepAlive, id, null, null, null));
        if (ack.returnCode() != 0) {
            throw new IOException("CONNACK " + ack.returnCode());
        }
        return c;
    }

    Packet.ConnAck connect(Packet.Connect c) throws IOException {
        send(c);
        return (Packet.ConnAck) read();
    }

    void send(Packet p) throws IOException {
        bytes(PacketWriter.encode(p));
    }

    void bytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    Packet read() throws IOException {
        return in.read();
    }

    Packet.Publish readPublish() throws IOException {
        Packet p = read();
        if (!(p instanceof Packet.Publish pub)) {
            throw new AssertionError("expected PUBLISH, got " + p);
        }
        return pub;
    }

    Packet.SubAck subscribe(int packetId, String filter, int qos) throws IOException {
        send(new Packet.Subscribe(packetId, java.util.List.of(new Packet.Subscription(filter, qos))));
        return (Packet.SubAck) read();
    }

    /** Whether the broker closes the connection within {@code millis}, reading (and dropping) what comes first. */
    boolean closedWithin(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                read();
            } catch (EOFException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    /** Closes the socket without DISCONNECT: an abnormal end for the broker. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}

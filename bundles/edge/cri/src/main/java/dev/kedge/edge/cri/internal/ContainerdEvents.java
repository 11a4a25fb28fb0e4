package dev.kedge.edge.cri.internal;

import java.util.ArrayList;
import java.util.List;

import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeEvents;
import dev.kedge.edge.cri.internal.grpc.GrpcChannel;
import dev.kedge.edge.cri.internal.grpc.GrpcException;
import dev.kedge.edge.cri.internal.grpc.GrpcStream;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.ProtoWriter;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/**
 * containerd's {@code Events/Subscribe} on the CRI socket (containerd serves both APIs there; containerd 1.6 has no
 * CRI {@code GetContainerEvents}). The runtime filters: only the task and container events of CRI's namespace come.
 */
final class ContainerdEvents implements RuntimeEvents {
    static final String SUBSCRIBE = "/containerd.services.events.v1.Events/Subscribe";
    /** The namespace containerd's CRI plugin keeps Kubernetes' containers in (fixed there, not configurable). */
    static final String CRI_NAMESPACE = "k8s.io";
    /** containerd's filter syntax: comma = and. Snapshot, image and content events say nothing about pods. */
    static final String FILTER = "namespace==" + CRI_NAMESPACE + ",topic~=\"^/(tasks|containers)/\"";
    /** An envelope holds ids, a bundle path and a task's rootfs mounts: a few KiB; far larger is no event. */
    static final int MAX_EVENT_BYTES = 1 << 20;

    private final GrpcChannel channel;
    private final GrpcStream stream;

    private ContainerdEvents(GrpcChannel channel, GrpcStream stream) {
        this.channel = channel;
        this.stream = stream;
    }

    static ContainerdEvents subscribe(GrpcChannel channel) throws GrpcException {
        byte[] request = new ProtoWriter().strings(1, List.of(FILTER)).toByteArray();
        return new ContainerdEvents(channel, channel.serverStream(SUBSCRIBE, request, MAX_EVENT_BYTES));
    }

    @Override
    public List<String> poll() {
        List<String> topics = new ArrayList<>(0);
        try {
            stream.poll(envelope -> topics.add(topic(envelope)));
        } catch (GrpcException e) {
            throw new RuntimeCallException("Subscribe", e.code(), e.getMessage(), e);
        }
        return topics;
    }

    /** The envelope's topic (field 3); one that cannot be read still says something changed. */
    private String topic(byte[] envelope) {
        try {
            ProtoReader r = new ProtoReader(envelope);
            while (r.next()) {
                if (r.field() == 3) {
                    return r.string();
                }
                r.skip();
            }
            return "";
        } catch (WireFormatException e) {
            channel.count(GrpcChannel.malformed(e));
            return "";
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}

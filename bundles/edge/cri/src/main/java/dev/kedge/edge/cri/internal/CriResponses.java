package dev.kedge.edge.cri.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.wire.Decoder;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/**
 * The response messages Kedge reads (field numbers of {@code cri.proto}; named by the call). Their {@code info}
 * maps (verbose only) and every field Kedge does not use are skipped, yet checked to be well-formed.
 */
final class CriResponses {

    /** StopPodSandbox, RemovePodSandbox, StartContainer, StopContainer, RemoveContainer, RemoveImage. */
    static final Decoder<Void> NOTHING = r -> {
        while (r.next()) {
            r.skip();
        }
        return null;
    };

    /** RunPodSandbox (pod_sandbox_id), CreateContainer (container_id), PullImage (image_ref): string field 1. */
    static final Decoder<String> FIRST_STRING = FromCri::singleString;

    private CriResponses() {
    }

    static RuntimeVersion version(ProtoReader r) throws WireFormatException {
        String name = "";
        String version = "";
        String apiVersion = "";
        while (r.next()) {
            switch (r.field()) {
                case 2 -> name = r.string();
                case 3 -> version = r.string();
                case 4 -> apiVersion = r.string();
                default -> r.skip();
            }
        }
        return new RuntimeVersion(name, version, apiVersion);
    }

    static RuntimeStatus status(ProtoReader r) throws WireFormatException {
        return FromCri.status(only(r, 1));
    }

    static Optional<ImageInfo> imageStatus(ProtoReader r) throws WireFormatException {
        ProtoReader image = only(r, 1);
        return image == null ? Optional.empty() : Optional.of(FromCri.image(image));
    }

    static List<ImageInfo> listImages(ProtoReader r) throws WireFormatException {
        return repeated(r, FromCri::image);
    }

    static List<SandboxInfo> listPodSandbox(ProtoReader r) throws WireFormatException {
        return repeated(r, SandboxFromCri::sandbox);
    }

    static SandboxStatus podSandboxStatus(ProtoReader r) throws WireFormatException {
        return SandboxFromCri.sandboxStatus(only(r, 1));
    }

    static List<ContainerInfo> listContainers(ProtoReader r) throws WireFormatException {
        return repeated(r, ContainerFromCri::container);
    }

    /** The status with an empty sandbox id (CRI's ContainerStatus has none). */
    static ContainerStatus containerStatus(ProtoReader r) throws WireFormatException {
        return ContainerFromCri.containerStatus(only(r, 1), "");
    }

    static ExecResult execSync(ProtoReader r) throws WireFormatException {
        byte[] stdout = new byte[0];
        byte[] stderr = new byte[0];
        int exitCode = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> stdout = r.bytes();
                case 2 -> stderr = r.bytes();
                case 3 -> exitCode = r.int32();
                default -> r.skip();
            }
        }
        return new ExecResult(exitCode, FromCri.output(stdout), FromCri.output(stderr));
    }

    /** The message in field {@code field} (the last, if sent more than once), null when absent; the rest skipped. */
    private static ProtoReader only(ProtoReader r, int field) throws WireFormatException {
        ProtoReader found = null;
        while (r.next()) {
            if (r.field() == field) {
                found = r.message();
            } else {
                r.skip();
            }
        }
        return found;
    }

    /** Every message in field 1 (the responses' one repeated field), decoded. */
    private static <T> List<T> repeated(ProtoReader r, Decoder<T> item) throws WireFormatException {
        List<T> items = new ArrayList<>();
        while (r.next()) {
            if (r.field() == 1) {
                items.add(item.decode(r.message()));
            } else {
                r.skip();
            }
        }
        return List.copyOf(items);
    }
}

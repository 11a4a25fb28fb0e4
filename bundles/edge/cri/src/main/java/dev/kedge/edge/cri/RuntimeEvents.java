package dev.kedge.edge.cri;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscription to the runtime's container and task events (containerd's Events service, CRI's namespace), for a
 * PLEG that lists the runtime when something changed rather than every second. It has no thread: its owner polls.
 */
@ProviderType
public interface RuntimeEvents extends AutoCloseable {

    /**
     * The topics (e.g. {@code /tasks/exit}) of the events that arrived since the last poll, without waiting; empty
     * when none did.
     *
     * @throws RuntimeCallException once the subscription has ended: {@code UNIMPLEMENTED} from a runtime without
     *                              an event service (CRI-O), otherwise the runtime went away or ended it. Events may
     *                              have been missed: subscribe again and list.
     */
    List<String> poll();

    /** Ends the subscription; idempotent. */
    @Override
    void close();
}

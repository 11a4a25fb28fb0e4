package dev.kedge.edge.edged;

import java.time.Instant;

/**
 * One pod as Edged last synced it.
 *
 * @param namespace  the pod's namespace
 * @param name       the pod's name
 * @param uid        the pod's UID
 * @param phase      Pending, Running, Succeeded, Failed; Terminating while it is being stopped
 * @param ready      app containers that are ready
 * @param containers app containers in the spec
 * @param restarts   restarts of the app containers, summed
 * @param podIP      the pod's IP (the host's for hostNetwork pods); empty until known
 * @param startTime  when Edged first took the pod on; null until then
 */
public record EdgedPodInfo(String namespace, String name, String uid, String phase, int ready, int containers,
        long restarts, String podIP, Instant startTime) {
}

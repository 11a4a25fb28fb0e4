package dev.kedge.cloud.kube;

/**
 * What {@code kube:leader} shows.
 *
 * @param identity         this replica
 * @param holder           the lease holder as last seen ("" unknown)
 * @param leader           this replica holds the lease
 * @param leaseName        {@code <namespace>/<name>} of the Lease
 * @param timesLeader      how often this replica started leading
 * @param holderChanges    holder changes this replica observed
 * @param leaderSinceMillis epoch millis this replica became leader; 0 when it is not
 */
public record LeadershipStatus(String identity, String holder, boolean leader, String leaseName, long timesLeader,
        long holderChanges, long leaderSinceMillis) {
}

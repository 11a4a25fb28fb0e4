package dev.kedge.cloud.kube;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which cloud replica does the work that must happen once (CRD installation, ObjectSync garbage collection, join token
 * rotation): the holder of the Lease {@code kedge-cloud} in namespace {@code kubeedge}. Every replica runs the election;
 * a dead leader's lease expires and another replica takes it within the lease duration.
 */
@ProviderType
public interface Leadership {

    /** Notified on the election's thread; keep it short (schedule the real work elsewhere). */
    @FunctionalInterface
    interface Listener {
        void leadershipChanged(boolean leader);
    }

    /** True while this replica holds the lease (and renews it in time). */
    boolean isLeader();

    /** This replica's identity in the lease: the configured id, else {@code <hostname>-<pid>}. */
    String identity();

    /** The lease holder as last seen by this replica; empty when none is known yet. */
    String holder();

    /** How often this replica became leader, and how often the holder changed as it saw it. */
    LeadershipStatus status();

    /** Adds a listener and tells it the current state at once. */
    void addListener(Listener listener);

    void removeListener(Listener listener);
}

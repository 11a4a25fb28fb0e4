package dev.kedge.cloud.kube.internal.lease;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.kube.LeadershipStatus;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.SharedScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/**
 * Runs fabric8's Lease election for as long as the component lives: when an election round ends (leadership lost,
 * API server unreachable) the next one starts after the retry period. The election's HTTP calls block, so they run on
 * one thread of its own with a bounded queue, not on the shared scheduler.
 */
@Component(name = "dev.kedge.cloud.kube.leader", service = Leadership.class)
@Designate(ocd = LeadershipConfig.class)
public final class LeadershipComponent implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipComponent.class);

    private final LeadershipSettings settings;
    private final KubernetesClient client;
    private final SharedScheduler scheduler;
    private final ThreadPoolExecutor electionThread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong timesLeader = new AtomicLong();
    private final AtomicLong holderChanges = new AtomicLong();
    private volatile boolean leader;
    private volatile long leaderSince;
    private volatile String holder = "";
    private volatile boolean closed;
    private CompletableFuture<?> round; // guarded by this
    private ScheduledFuture<?> restart; // guarded by this

    @Activate
    public LeadershipComponent(@Reference(target = KubeClients.DEFAULT_FILTER) KubernetesClient client,
            @Reference SharedScheduler scheduler, LeadershipConfig config) {
        this.settings = LeadershipSettings.of(config);
        this.client = client;
        this.scheduler = scheduler;
        // one election round submits one task at a time: a small queue is plenty
        this.electionThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16),
                DaemonThreads.factory("leader-election"));
        LOG.info("leader election for lease {} as {} (lease {} ms, renew deadline {} ms, retry {} ms)",
                settings.lease(), settings.identity(), settings.leaseDuration().toMillis(),
                settings.renewDeadline().toMillis(), settings.retryPeriod().toMillis());
        startRound();
    }

    private synchronized void startRound() {
        if (closed) {
            return;
        }
        LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
                .withName("kedge-cloud")
                .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
                .build(), electionThread);
        round = elector.start();
        round.whenComplete((ok, error) -> roundEnded(error));
    }

    private synchronized void roundEnded(Throwable error) {
        if (closed) {
            return;
        }
        if (error != null) {
            LOG.warn("leader election round ended: {}; next round in {} ms", error.toString(),
                    settings.retryPeriod().toMillis());
        }
        restart = scheduler.schedule("leader election", this::startRound, settings.retryPeriod());
    }

    private void startedLeading() {
        leaderSince = System.currentTimeMillis();
        leader = true;
        timesLeader.incrementAndGet();
        LOG.info("LEADER {} now leads (lease {})", settings.identity(), settings.lease());
        notifyListeners(true);
    }

    private void stoppedLeading() {
        if (!leader) {
            return;
        }
        leader = false;
        leaderSince = 0;
        LOG.warn("LEADER {} stopped leading (lease {})", settings.identity(), settings.lease());
        notifyListeners(false);
    }

    private void newLeader(String id) {
        if (id != null && !id.equals(holder)) {
            holder = id;
            holderChanges.incrementAndGet();
            LOG.info("lease {} held by {}", settings.lease(), id);
        }
    }

    private void notifyListeners(boolean now) {
        for (Listener l : listeners) {
            try {
                l.leadershipChanged(now);
            } catch (RuntimeException e) {
                LOG.error("leadership listener {} failed", l, e);
            }
        }
    }

    @Deactivate
    void deactivate() {
        CompletableFuture<?> r;
        synchronized (this) {
            closed = true;
            r = round;
            if (restart != null) {
                restart.cancel(false);
            }
        }
        if (r != null) {
            r.cancel(true); // releaseOnCancel: hands the lease over at once instead of after its duration
        }
        stoppedLeading();
        electionThread.shutdown();
        try {
            if (!electionThread.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                electionThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public String identity() {
        return settings.identity();
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public LeadershipStatus status() {
        return new LeadershipStatus(settings.identity(), holder, leader, settings.lease(), timesLeader.get(),
                holderChanges.get(), leaderSince);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
        listener.leadershipChanged(leader);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }
}

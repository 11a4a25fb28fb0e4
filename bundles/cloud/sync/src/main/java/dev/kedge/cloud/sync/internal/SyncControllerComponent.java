package dev.kedge.cloud.sync.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The {@code synccontroller} module: records CloudHub's ack records in ObjectSyncs, serves the ledger to
 * EdgeController, and resends what the edge missed. It installs the CRDs, runs the ledger and live-object caches, the
 * single ObjectSync writer and the reconcile loop. Startup runs off the caller's thread and retries until the API
 * server answers, so an unreachable server delays the ledger instead of failing the component. A configuration
 * change restarts it (caches relist); an invalid one keeps it inactive (an ERROR names the attribute).
 * <p>Among several cloud replicas only the leader ({@link Leadership}) installs the CRDs (the others wait until they
 * are served) and collects ObjectSyncs of deleted nodes; each replica resends only to the nodes connected to it, and
 * does so at once when a node connects, from the ObjectSyncs whichever replica wrote.
 */
@Component(name = SyncControllerComponent.PID,
        service = {Module.class, ObjectSyncLedger.class, SyncDiagnostics.class},
        property = {Module.NAME + "=" + ModuleNames.SYNCCONTROLLER, Module.GROUP + "=" + ModuleNames.SYNCCONTROLLER})
@Designate(ocd = SyncControllerConfig.class)
public final class SyncControllerComponent implements Module, ObjectSyncLedger, SyncDiagnostics, AutoCloseable {
    public static final String PID = "dev.kedge.cloud.sync";
    private static final Logger LOG = LoggerFactory.getLogger(SyncControllerComponent.class);
    private static final long STARTUP_RETRY_MAX_MS = 30_000;
    private static final long LEADER_WAIT_POLL_MS = 2_000;

    private final KubernetesClient client;
    private final SyncSettings config;
    private final SyncCounters counters = new SyncCounters();
    private final ObjectSyncCache ledger = new ObjectSyncCache();
    private final LiveObjects objects = new LiveObjects();
    private final CoalescingQueue<SyncWrite> queue;
    private final ObjectSyncWriter writer;
    private final Reconciler reconciler;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Thread writerThread;
    private final Leadership leadership;
    private final Leadership.Listener leadershipListener = this::leadershipChanged;
    /** Nodes connected to this replica's CloudHub; null: every node counts as connected (one replica, tests). */
    private final Set<String> connected;
    private volatile boolean started;
    private volatile boolean closed;

    /** One of several replicas: nodes count as connected once CloudHub says so. Builds; {@link #start} starts. */
    @Activate
    public SyncControllerComponent(@Reference MessageBus bus,
            @Reference(target = KubeClients.DEFAULT_FILTER) KubernetesClient client, @Reference Leadership leadership,
            SyncControllerConfig config) {
        this(bus, client, leadership, config, true);
    }

    /** {@code trackConnections} false: every node counts as connected to this replica (a lone controller, tests). */
    SyncControllerComponent(MessageBus bus, KubernetesClient client, Leadership leadership,
            SyncControllerConfig config, boolean trackConnections) {
        try {
            this.config = SyncSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration {}: {}; SyncController does not start", PID, e.getMessage());
            throw e;
        }
        this.client = client;
        this.leadership = leadership;
        this.connected = trackConnections ? ConcurrentHashMap.newKeySet() : null;
        this.queue = new CoalescingQueue<>(this.config.maxPendingWrites(), SyncWrite::key, SyncWrite::merge);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "kedge-sync-reconcile"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.writer = new ObjectSyncWriter(client, ledger, queue, scheduler, counters, this.config);
        this.writerThread = daemon(writer, "kedge-sync-writer");
        this.reconciler = new Reconciler(ledger, objects, bus, client.getKubernetesSerialization(), counters,
                this.config, w -> offerQuietly(w), this::connectedHere, leadership::isLeader);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts in the background: CRDs, then caches, writer and reconcile loop. */
    @Activate
    void start() {
        leadership.addListener(leadershipListener);
        scheduler.execute(this::startup);
    }

    private void startup() {
        long backoff = 500;
        while (!closed) {
            boolean leading = leadership.isLeader();
            try {
                if (leading) {
                    CrdInstaller.install(client, config.crdEstablishedTimeoutSeconds());
                    break;
                }
                if (CrdInstaller.served(client)) {
                    LOG.info("ObjectSync CRDs served (installed by the leader)");
                    break;
                }
            } catch (RuntimeException e) {
                LOG.warn("ObjectSync CRDs not installed yet: {}; retry in {} ms", describe(e), backoff);
            }
            try {
                // a replica that waits for the leader's CRDs looks again soon: leadership may come to it meanwhile
                Thread.sleep(leading ? backoff : Math.min(backoff, LEADER_WAIT_POLL_MS));
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(STARTUP_RETRY_MAX_MS, backoff * 2);
        }
        if (closed) {
            return;
        }
        ledger.start(client);
        objects.start(client);
        writerThread.start();
        long period = config.reconcilePeriodSeconds();
        started = true;
        scheduler.scheduleWithFixedDelay(this::reconcileQuietly, period, period, TimeUnit.SECONDS);
        LOG.info("SyncController started: reconcile every {} s, at most {} resends per round", period,
                config.maxResendsPerRound());
    }

    /** fabric8 wraps I/O failures as "An error has occurred."; the cause says what happened. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? message : message + " (" + root + ")";
    }

    private void reconcileQuietly() {
        try {
            reconciler.reconcile();
        } catch (RuntimeException e) {
            LOG.error("reconcile round failed", e);
        }
    }

    /** One reconcile round now (tests, and the rounds the scheduler runs). */
    void reconcileNow() {
        reconciler.reconcile();
    }

    private boolean connectedHere(String node) {
        return connected == null || connected.contains(node);
    }

    /** CloudHub's link event: a node that connects gets what its ObjectSyncs say it misses, now (not in 5 s). */
    private void linkEvent(Message m) {
        if (connected == null) {
            return;
        }
        String[] parts = m.resource() == null ? new String[0] : m.resource().split("/");
        if (parts.length < 2 || parts[1].isEmpty()) {
            counters.acksRejected.increment();
            LOG.error("{} event without a node in '{}'", m.operation(), m.resource());
            return;
        }
        if (Operations.CONNECTED.equals(m.operation())) {
            connected.add(parts[1]);
            if (started && !closed) {
                try {
                    scheduler.execute(this::reconcileQuietly);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("reconcile for {} not scheduled: shutting down", parts[1]);
                }
            }
        } else {
            connected.remove(parts[1]);
        }
    }

    /** Leadership changed: logged, so operators (and tests) see which replica collects garbage. */
    private void leadershipChanged(boolean leading) {
        LOG.info("SYNC leader work (CRDs, ObjectSync garbage collection) {} on this replica",
                leading ? "runs" : "stopped");
    }

    /** An ack record from CloudHub: queue its ObjectSync write. Bad records are logged and counted, never thrown. */
    @Override
    public void receive(Message ack) {
        if (Operations.CONNECTED.equals(ack.operation()) || Operations.DISCONNECTED.equals(ack.operation())) {
            linkEvent(ack);
            return;
        }
        SyncWrite w;
        try {
            w = SyncWrite.fromAck(ack);
        } catch (IllegalArgumentException e) {
            counters.acksRejected.increment();
            LOG.error("ack record {} {} {} from {} not recorded: {}", ack.id(), ack.operation(), ack.resource(),
                    ack.source(), e.getMessage());
            return;
        }
        try {
            switch (queue.offer(w, config.queueFullWaitMs())) {
                case QUEUED -> counters.acksRecorded.increment();
                case COALESCED -> {
                    counters.acksRecorded.increment();
                    counters.coalesced.increment();
                }
                case FULL -> {
                    counters.dropped.increment();
                    LOG.error("ack of {} {} dropped: {} ObjectSync writes pending (the reconcile loop resends, the"
                            + " edge acks again)", ack.operation(), ack.resource(), queue.capacity());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean offerQuietly(SyncWrite w) {
        try {
            return queue.offer(w, 0) != CoalescingQueue.Offer.FULL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String ackedVersion(String node, String objectUid) {
        return ledger.ackedVersion(node, objectUid);
    }

    @Override
    public boolean awaitSynced(Duration timeout) {
        return ledger.awaitSynced(timeout);
    }

    /** Ledger and live caches synced (the reconcile loop runs only then). */
    boolean awaitAllSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return ledger.awaitSynced(timeout)
                && objects.awaitSynced(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    int pendingWrites() {
        return queue.size();
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot(queue.size());
    }

    @Override
    public List<ObjectSyncRow> objects(String node) {
        List<ObjectSyncRow> rows = new ArrayList<>();
        for (GenericKubernetesResource sync : ledger.all()) {
            Verdict v = Verdict.judge(sync, objects);
            if (node == null || node.isEmpty() || node.equals(v.node())) {
                String ns = sync.getMetadata().getNamespace();
                rows.add(new ObjectSyncRow(ns == null ? "" : ns, sync.getMetadata().getName(), v.node(),
                        ObjectSyncCache.spec(sync, "objectKind"), ObjectSyncCache.spec(sync, "objectName"),
                        v.ackedVersion(), v.liveVersion(), v.state().name()));
            }
        }
        rows.sort(Comparator.comparing(ObjectSyncRow::node).thenComparing(ObjectSyncRow::namespace)
                .thenComparing(ObjectSyncRow::object));
        return rows;
    }

    @Deactivate
    @Override
    public void close() {
        closed = true;
        leadership.removeListener(leadershipListener);
        writer.close();
        scheduler.shutdownNow();
        try {
            // let a write in flight finish (its poll wakes within 500 ms), then stop waiting for the server
            writerThread.join(3_000);
            if (writerThread.isAlive()) {
                writerThread.interrupt();
                writerThread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ledger.close();
        objects.close();
    }
}

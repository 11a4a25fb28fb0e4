package dev.kedge.device.host.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.device.driver.Channel;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.DriverException;
import dev.kedge.device.host.HostedDevice;
import dev.kedge.edge.twin.TwinEntry;

/**
 * One Device, KubeEdge's mapper loop for it: connect (backoff when that fails), read the properties whose
 * collectCycle is due in one batch, report the fresh values whose reportCycle is due in one twin update, write
 * desired values that changed. A tick hands at most one run to the pool; a tick that finds the previous run still
 * going is skipped, so a slow device costs one pool thread at most and never queues up work. The connection is used
 * under {@link #io}; {@link #abort} closes it from outside to unblock a stuck driver.
 */
final class DeviceRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRunner.class);
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    static final String UNKNOWN = "unknown";
    private static final long STATE_REFRESH_MS = 60_000;
    private static final long DESIRED_CHECK_MS = 1000;
    /** A driver gone for less than this is probably being updated: no "no driver" state for that blink. */
    static final long UPDATE_GRACE_MS = 2000;

    final DeviceSpec spec;
    private final HostContext ctx;
    private final ReentrantLock io = new ReentrantLock();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final LongAdder reads = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile DriverBinding binding;
    private volatile DeviceConnection connection;
    private volatile Future<?> running;
    private volatile long runStartedNanos;
    private volatile boolean stopped;
    private volatile String state = "";
    private volatile String reason = "";
    private volatile long lastRead;
    private volatile long unboundAt;
    // guarded by io
    private DriverBinding connectedWith;
    private long nextConnectAt;
    private long backoffMs;
    private long stateSentAt;
    private String stateSent = "";
    private long nextDesiredCheck;
    private final Map<String, Long> nextCollect = new HashMap<>();
    private final Map<String, Long> nextReport = new HashMap<>();
    private final Map<String, ChannelRecord> fresh = new HashMap<>();
    private final Map<String, String> written = new HashMap<>();
    private final Map<String, Long> writeRetryAt = new HashMap<>();
    // read and write failures per property, shown with the state's reason (the console reads them: concurrent)
    private final Map<String, String> channelFailure = new ConcurrentHashMap<>();
    private final Map<String, String> writeFailure = new ConcurrentHashMap<>();

    DeviceRunner(DeviceSpec spec, HostContext ctx) {
        this.spec = spec;
        this.ctx = ctx;
    }

    /** The driver for the device's protocol, or null when there is none (now). */
    void bind(DriverBinding b) {
        if (b != binding) {
            if (b == null && binding != null) {
                unboundAt = System.currentTimeMillis();
            }
            binding = b;
            DeviceConnection c = connection;
            if (b == null && c != null) {
                c.close(); // the driver is going: let a blocked call return now
            }
        }
    }

    DriverBinding binding() {
        return binding;
    }

    /** From the shared scheduler: hands one run to the pool unless one is queued or running. */
    void tick() {
        if (stopped) {
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            ctx.counters().skipped.increment();
            return;
        }
        try {
            running = ctx.pool().submit(this::run);
        } catch (RejectedExecutionException e) {
            busy.set(false);
            ctx.counters().skipped.increment();
        }
    }

    private void run() {
        runStartedNanos = System.nanoTime();
        try {
            if (io.tryLock(ctx.settings().readTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    if (!stopped) {
                        step(System.currentTimeMillis());
                    }
                } finally {
                    io.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.increment();
            LOG.error("device {}: driver call failed unexpectedly", spec.id(), e);
        } finally {
            runStartedNanos = 0;
            running = null;
            busy.set(false);
        }
    }

    private void step(long now) {
        DriverBinding b = binding;
        if (b == null) {
            disconnect();
            if (now - unboundAt < UPDATE_GRACE_MS) {
                return; // bundle:update unregisters and registers again within milliseconds
            }
            setState(UNKNOWN, "no driver for protocol '" + spec.protocol() + "' (install its feature, e.g."
                    + " feature:install kedge-driver-" + spec.protocol() + ")", now);
            return;
        }
        if (connection == null || connectedWith != b) {
            if (connectedWith != b) {
                disconnect();
                nextConnectAt = 0; // a new or updated driver: connect now
            }
            if (now < nextConnectAt || !connect(b, now)) {
                refreshState(now);
                return;
            }
        }
        try {
            read(now);
            report(now);
            desired(now);
        } catch (DriverException e) {
            lost(e.getMessage(), now);
        }
        refreshState(now);
    }

    private boolean connect(DriverBinding b, long now) {
        try {
            DeviceConnection c = b.driver().connect(spec.id(), spec.protocolConfig());
            if (c == null) {
                throw new DriverException("driver " + b.bundle() + " returned no connection");
            }
            connection = c;
            connectedWith = b;
            backoffMs = 0;
            channelFailure.clear();
            writeFailure.clear();
            setState(ONLINE, "", now);
            return true;
        } catch (DriverException | RuntimeException e) {
            failures.increment();
            backoffMs = Math.min(Math.max(backoffMs * 2, 1000), ctx.settings().maxBackoffMs());
            nextConnectAt = now + backoffMs;
            setState(OFFLINE, "connect failed: " + message(e), now);
            return false;
        }
    }

    private void lost(String why, long now) {
        failures.increment();
        disconnect();
        backoffMs = Math.min(Math.max(backoffMs * 2, 1000), ctx.settings().maxBackoffMs());
        nextConnectAt = now + backoffMs;
        setState(OFFLINE, "connection lost: " + why, now);
    }

    private void disconnect() {
        DeviceConnection c = connection;
        connection = null;
        connectedWith = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("device {}: close failed", spec.id(), e);
            }
        }
    }

    private void read(long now) throws DriverException {
        List<PropertySpec> due = new ArrayList<>();
        for (PropertySpec p : spec.properties()) {
            long next = nextCollect.getOrDefault(p.name(), 0L);
            if (now >= next - grace(p.collectMs())) {
                due.add(p);
                // stay on the cycle's grid unless a whole cycle was missed
                nextCollect.put(p.name(), now - next < p.collectMs() ? next + p.collectMs() : now + p.collectMs());
            }
        }
        if (due.isEmpty()) {
            return;
        }
        List<Channel> channels = new ArrayList<>(due.size());
        due.forEach(p -> channels.add(p.channel()));
        List<ChannelRecord> records = connection.read(channels, ctx.settings().readTimeout());
        if (records == null || records.size() != channels.size()) {
            throw new DriverException("driver " + connectedWith.bundle() + " answered " + (records == null ? 0
                    : records.size()) + " records for " + channels.size() + " channels");
        }
        for (int i = 0; i < records.size(); i++) {
            accept(due.get(i).name(), records.get(i));
        }
    }

    private void accept(String property, ChannelRecord r) {
        if (r.ok()) {
            reads.increment();
            ctx.counters().reads.increment();
            lastRead = r.timestamp();
            fresh.put(property, r);
            if (channelFailure.remove(property) != null) {
                LOG.info("device {}: property {} reads again", spec.id(), property);
            }
            return;
        }
        failures.increment();
        ctx.counters().readFailures.increment();
        if (!r.reason().equals(channelFailure.put(property, r.reason()))) {
            LOG.warn("device {}: property {}: {}", spec.id(), property, r.reason()); // once per new reason
        }
    }

    private void report(long now) {
        List<TwinReports.Reading> due = new ArrayList<>();
        for (PropertySpec p : spec.properties()) {
            if (!p.reportToCloud() || now < nextReport.getOrDefault(p.name(), 0L) - grace(p.reportMs())) {
                continue;
            }
            ChannelRecord r = fresh.remove(p.name());
            if (r != null) {
                due.add(new TwinReports.Reading(p.name(), r.value(), p.twinType(), r.timestamp()));
                long next = nextReport.getOrDefault(p.name(), 0L);
                nextReport.put(p.name(), now - next < p.reportMs() ? next + p.reportMs() : now + p.reportMs());
            }
        }
        if (!due.isEmpty() && send(TwinReports.twinUpdate(spec.id(), due))) {
            ctx.counters().reports.increment();
        }
    }

    /** Writes the twins' expected values that differ from what this host last wrote. */
    private void desired(long now) throws DriverException {
        if (now < nextDesiredCheck) {
            return;
        }
        nextDesiredCheck = now + DESIRED_CHECK_MS;
        for (TwinEntry t : ctx.twins().apply(spec.id())) {
            PropertySpec p = spec.property(t.name());
            String want = t.expected();
            if (p == null || want == null || want.isEmpty() || want.equals(written.get(t.name()))
                    || now < writeRetryAt.getOrDefault(t.name(), 0L)) {
                continue;
            }
            ChannelRecord r = connection.write(p.channel(), want, ctx.settings().readTimeout());
            if (r != null && r.ok()) {
                ctx.counters().writes.increment();
                written.put(t.name(), want);
                writeRetryAt.remove(t.name());
                writeFailure.remove(t.name());
                nextCollect.put(t.name(), 0L); // read it back on the next tick
                LOG.info("device {}: desired {} = {} written", spec.id(), t.name(), want);
            } else {
                failures.increment();
                ctx.counters().writeFailures.increment();
                writeRetryAt.put(t.name(), now + ctx.settings().writeRetryMs());
                String why = r == null ? "no answer" : r.reason();
                writeFailure.put(t.name(), why);
                LOG.warn("device {}: desired {} = {} not written: {} (retry in {} s)", spec.id(), t.name(), want,
                        why, ctx.settings().writeRetryMs() / 1000);
            }
        }
    }

    /**
     * Ticks come with a fixed delay after the previous run, so a property due at {@code t} is seen a little after
     * or a little before it; without this slack every other tick would just miss it.
     */
    private static long grace(long cycleMs) {
        return Math.min(100, cycleMs / 5);
    }

    private void setState(String newState, String why, long now) {
        boolean changed = !newState.equals(state) || !why.equals(reason);
        state = newState;
        reason = why;
        if (changed) {
            if (ONLINE.equals(newState)) {
                LOG.info("device {}: online through {}", spec.id(), binding == null ? "-" : binding.bundle());
            } else {
                LOG.warn("device {}: {}: {}", spec.id(), newState, why);
            }
        }
        if (!newState.equals(stateSent)) {
            sendState(now);
        }
    }

    /** Re-sends the state now and then: DeviceTwin may have learnt of the device after the first report. */
    private void refreshState(long now) {
        if (!state.isEmpty() && now - stateSentAt >= STATE_REFRESH_MS) {
            sendState(now);
        }
    }

    private void sendState(long now) {
        if (stopped) {
            return; // the device left this node: DeviceTwin no longer knows it
        }
        if (send(TwinReports.stateUpdate(spec.id(), state))) {
            stateSent = state;
            stateSentAt = now;
        }
    }

    private boolean send(dev.kedge.core.Message m) {
        try {
            ctx.toTwin().accept(m);
            return true;
        } catch (RuntimeException e) {
            ctx.counters().busErrors.increment();
            LOG.debug("device {}: report not handed to DeviceTwin: {}", spec.id(), e.getMessage());
            return false;
        }
    }

    /** One read or write from the console: waits for the device's connection up to the read timeout. */
    ChannelRecord now(String property, String valueToWrite) {
        PropertySpec p = spec.property(property);
        if (p == null) {
            return ChannelRecord.failure(property, "device " + spec.id() + " has no property " + property);
        }
        try {
            if (!io.tryLock(ctx.settings().readTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return ChannelRecord.failure(property, "device busy for " + ctx.settings().readTimeout().toMillis()
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ChannelRecord.failure(property, "interrupted");
        }
        try {
            DeviceConnection c = connection;
            if (c == null) {
                return ChannelRecord.failure(property, "not connected (" + state + (reason.isEmpty() ? "" : ": "
                        + reason) + ")");
            }
            if (valueToWrite != null) {
                return c.write(p.channel(), valueToWrite, ctx.settings().readTimeout());
            }
            List<ChannelRecord> r = c.read(List.of(p.channel()), ctx.settings().readTimeout());
            return r.size() == 1 ? r.get(0) : ChannelRecord.failure(property, "driver answered " + r.size()
                    + " records");
        } catch (DriverException e) {
            return ChannelRecord.failure(property, e.getMessage());
        } finally {
            io.unlock();
        }
    }

    /** From the watchdog: a run stuck longer than {@code limitNanos} gets its connection closed and is interrupted. */
    boolean abortIfStuck(long limitNanos) {
        long started = runStartedNanos;
        if (started == 0 || System.nanoTime() - started < limitNanos) {
            return false;
        }
        ctx.counters().aborted.increment();
        LOG.warn("device {}: driver call stuck for {} ms; closing the connection", spec.id(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        reason = "driver call stuck, connection closed";
        DeviceConnection c = connection;
        if (c != null) {
            c.close();
        }
        Future<?> f = running;
        if (f != null) {
            f.cancel(true);
        }
        return true;
    }

    /** Stops ticking and disconnects (on the pool when the connection is busy, so the caller never blocks). */
    void stop() {
        stopped = true;
        if (io.tryLock()) {
            try {
                disconnect();
            } finally {
                io.unlock();
            }
        } else {
            DeviceConnection c = connection;
            if (c != null) {
                c.close();
            }
        }
    }

    HostedDevice view() {
        DriverBinding b = binding;
        List<String> why = new ArrayList<>();
        if (!reason.isEmpty()) {
            why.add(reason);
        }
        new java.util.TreeMap<>(channelFailure).forEach((p, r) -> why.add("read " + p + ": " + r));
        new java.util.TreeMap<>(writeFailure).forEach((p, r) -> why.add("write " + p + ": " + r));
        return new HostedDevice(spec.id(), spec.protocol(), b == null ? "" : b.bundle(), state.isEmpty() ? "-"
                : state, String.join("; ", why), lastRead, reads.sum(), failures.sum());
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

package dev.kedge.edge.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.edge.store.StoreException;

/**
 * The one thread that writes, {@code kedge-store-writer-<file>-N}: started when a write is queued, ended a few
 * seconds after the queue ran empty (an idle edge keeps none, and nothing polls). It takes what is queued (up to {@code maxBatch}), runs each write in a savepoint of
 * one transaction and commits once; futures complete after that commit. A write that throws is rolled back to its
 * savepoint and fails alone. If the COMMIT itself fails, every write of the batch is retried in a transaction of
 * its own, so one bad write cannot fail its neighbours.
 */
final class GroupCommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final Connection conn;
    private final BlockingQueue<WriteTask<?>> queue;
    private final int maxBatch;
    private final StoreCounters counters;
    private final Lane lane;
    /** True while a drain task is queued or running: at most one at a time, so writes stay on one thread. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile Thread writerThread;
    private volatile boolean accepting = true;

    GroupCommitWriter(Connection conn, int capacity, int maxBatch, StoreCounters counters, String fileName) {
        this.conn = conn;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.counters = counters;
        this.lane = DaemonThreads.onDemand("store-writer-" + fileName, 1, 1);
    }

    void start() {
        wake();
    }

    boolean onWriterThread() {
        return Thread.currentThread() == writerThread;
    }

    Connection connection() {
        return conn;
    }

    int queued() {
        return queue.size();
    }

    int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    /** Queues a task, waiting at most {@code wait} for room (not at all on the writer thread: it would wait on itself). */
    void submit(WriteTask<?> task, Duration wait) {
        if (!accepting) {
            throw new StoreException(StoreException.Reason.CLOSED, "store is stopping; write refused: " + task.what);
        }
        boolean queued;
        try {
            queued = onWriterThread() ? queue.offer(task) : queue.offer(task, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.CLOSED, "interrupted while queueing write: " + task.what);
        }
        if (!queued) {
            counters.rejected.increment();
            throw new StoreException(StoreException.Reason.QUEUE_FULL, "store write queue full (" + capacity()
                    + " writes waited " + wait.toMillis() + " ms): the writer cannot keep up; refused: " + task.what);
        }
        wake();
    }

    /** Starts a drain task unless one is queued or running (which then sees this write: see {@link #drain}). */
    private void wake() {
        if (writing.get() || !writing.compareAndSet(false, true)) {
            return;
        }
        try {
            lane.execute(this::drain);
        } catch (RejectedExecutionException stopping) { // stop() fails what is left in the queue
            writing.set(false);
        }
    }

    /** Stops taking writes, lets the queued ones finish for at most {@code wait}, then fails what is left. */
    void stop(Duration wait) throws InterruptedException {
        accepting = false;
        lane.shutdown();
        if (!lane.awaitTermination(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
            lane.shutdownNow();
            lane.awaitTermination(1, TimeUnit.SECONDS);
        }
        List<WriteTask<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (WriteTask<?> t : left) {
            counters.failures.increment();
            t.future.completeExceptionally(
                    new StoreException(StoreException.Reason.CLOSED, "store stopped before this write ran: " + t.what));
        }
        if (!left.isEmpty()) {
            LOG.error("store stopped with {} writes not done; they failed", left.size());
        }
    }

    /** Writes until the queue is empty; a write queued while we clear {@code writing} is seen by the re-check. */
    private void drain() {
        writerThread = Thread.currentThread();
        try {
            do {
                writeQueued();
                writing.set(false);
            } while (!queue.isEmpty() && !Thread.currentThread().isInterrupted() && writing.compareAndSet(false, true));
        } finally {
            writerThread = null;
        }
    }

    private void writeQueued() {
        List<WriteTask<?>> batch = new ArrayList<>(maxBatch);
        while (!Thread.currentThread().isInterrupted()) { // stop() interrupts only after its wait ran out
            WriteTask<?> first = queue.poll();
            if (first == null) {
                return;
            }
            try {
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                process(batch);
            } catch (RuntimeException | Error e) {
                LOG.error("store writer: unexpected failure, batch of {} writes failed", batch.size(), e);
                failAll(batch, new StoreException(StoreException.Reason.SQL, "writer failure: " + e, e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Commits runs of group writes; an {@code alone} task first commits what came before it. */
    private void process(List<WriteTask<?>> batch) {
        List<WriteTask<?>> group = new ArrayList<>(batch.size());
        for (WriteTask<?> t : batch) {
            if (t.alone) {
                commitGroup(group);
                group.clear();
                runAlone(t);
            } else {
                group.add(t);
            }
        }
        commitGroup(group);
    }

    private void commitGroup(List<WriteTask<?>> group) {
        if (group.isEmpty()) {
            return;
        }
        List<WriteTask<?>> done = new ArrayList<>(group.size());
        for (WriteTask<?> t : group) {
            if (runInSavepoint(t)) {
                done.add(t);
            }
        }
        if (done.isEmpty()) {
            rollbackQuietly();
            return;
        }
        long t0 = System.nanoTime();
        try {
            conn.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            if (done.size() == 1) {
                fail(done.get(0), e);
            } else {
                LOG.warn("group commit of {} writes failed ({}); retrying each alone", done.size(), e.getMessage());
                for (WriteTask<?> t : done) {
                    runAlone(t);
                }
            }
            return;
        }
        committed(done, t0);
    }

    private boolean runInSavepoint(WriteTask<?> t) {
        try (Statement s = conn.createStatement()) {
            s.execute("SAVEPOINT w");
            try {
                t.run(conn);
                s.execute("RELEASE w");
                return true;
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK TO w");
                s.execute("RELEASE w");
                fail(t, e);
                return false;
            }
        } catch (SQLException e) {
            // the savepoint itself failed: the transaction is unusable, so nothing of it is kept
            fail(t, e);
            return false;
        }
    }

    /** Runs one task in a transaction of its own (the task may commit on its own, as migrations do). */
    private void runAlone(WriteTask<?> t) {
        long t0 = System.nanoTime();
        try {
            t.run(conn);
            conn.commit();
            committed(List.of(t), t0);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            fail(t, e);
        }
    }

    private void committed(List<WriteTask<?>> done, long t0) {
        counters.lastCommitNanos = System.nanoTime() - t0;
        counters.lastBatch = done.size();
        counters.commits.increment();
        counters.writes.add(done.size());
        for (WriteTask<?> t : done) {
            t.complete();
        }
    }

    private void fail(WriteTask<?> t, Exception e) {
        counters.failures.increment();
        LOG.warn("store write failed: {}: {}", t.what, e.getMessage());
        t.future.completeExceptionally(e instanceof StoreException se ? se
                : new StoreException(StoreException.Reason.SQL, t.what + ": " + e.getMessage(), e));
    }

    private void failAll(List<WriteTask<?>> batch, StoreException e) {
        rollbackQuietly();
        for (WriteTask<?> t : batch) {
            if (!t.future.isDone()) {
                counters.failures.increment();
                t.future.completeExceptionally(e);
            }
        }
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException e) {
            LOG.error("store rollback failed: {}", e.getMessage());
        }
    }
}

package dev.kedge.edge.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.store.StoreException;

/**
 * The one thread that writes. It takes what is queued (up to {@code maxBatch}), runs each write in a savepoint of
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
    private final Thread thread;
    private volatile boolean accepting = true;

    GroupCommitWriter(Connection conn, int capacity, int maxBatch, StoreCounters counters, String fileName) {
        this.conn = conn;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.counters = counters;
        this.thread = new Thread(this::loop, "kedge-store-writer-" + fileName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean onWriterThread() {
        return Thread.currentThread() == thread;
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
    }

    /** Stops taking writes, lets the queued ones finish for at most {@code wait}, then fails what is left. */
    void stop(Duration wait) throws InterruptedException {
        accepting = false;
        thread.join(Math.max(1, wait.toMillis()));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1000);
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

    private void loop() {
        List<WriteTask<?>> batch = new ArrayList<>(maxBatch);
        while (accepting || !queue.isEmpty()) {
            try {
                WriteTask<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                process(batch);
            } catch (InterruptedException e) {
                failAll(batch, new StoreException(StoreException.Reason.CLOSED, "store writer interrupted"));
                return;
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

package dev.kedge.edge.store;

/**
 * A snapshot of the store.
 *
 * @param file             the database file
 * @param sizeBytes        size of the database file
 * @param walBytes         size of its write-ahead log ({@code -wal} file)
 * @param queued           writes waiting for the writer thread
 * @param queueCapacity    bound of the write queue
 * @param commits          transactions committed
 * @param writes           writes committed (a commit carries one or more)
 * @param failures         writes that failed (their own SQL error, or a transaction that could not commit)
 * @param rejected         writes refused because the queue stayed full
 * @param lastCommitMillis duration of the latest commit, in milliseconds (fractional)
 * @param lastBatch        writes in the latest commit
 * @param integrity        the latest integrity check (at start or by {@code store:check})
 */
public record StoreStats(String file, long sizeBytes, long walBytes, int queued, int queueCapacity, long commits,
        long writes, long failures, long rejected, double lastCommitMillis, int lastBatch, IntegrityResult integrity) {
}

package dev.kedge.edge.store;

/** A store operation that could not be carried out; {@link #reason()} says why. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The write queue stayed full for the whole wait: the writer cannot keep up. */
        QUEUE_FULL,
        /** The store is stopping or stopped. */
        CLOSED,
        /** No reader connection, or no migration result, within the wait. */
        TIMEOUT,
        /** The SQL work failed (its own error, or the transaction it was part of). */
        SQL,
        /** A schema migration step failed; the module that owns it cannot use its tables. */
        MIGRATION,
        /** The database file failed its integrity check. */
        CORRUPT
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

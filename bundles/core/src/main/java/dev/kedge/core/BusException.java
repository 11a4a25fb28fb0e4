package dev.kedge.core;

/** A bus call that could not be carried out; {@link #reason()} says why. */
public class BusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The module's mailbox stayed full for the whole send timeout. */
        MAILBOX_FULL,
        /** No response arrived within the sync timeout. */
        TIMEOUT,
        /** The bus is shutting down or the caller was interrupted. */
        CLOSED,
        /** The message cannot be routed (no name, no module in the group). */
        UNROUTABLE
    }

    private final Reason reason;

    public BusException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

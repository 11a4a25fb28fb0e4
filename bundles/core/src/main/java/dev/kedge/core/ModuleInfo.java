package dev.kedge.core;

/**
 * A snapshot of one module's mailbox.
 *
 * @param state {@code ACTIVE} while a module service or an open {@link Inbox} consumes the mailbox, {@code WAITING}
 *              while none does (not yet started, or its bundle being updated), {@code DETACHED} when none has for
 *              longer
 * @param delivered messages handed to the module (for an inbox: taken, less those put back)
 * @param rejected sends that failed because the mailbox stayed full
 * @param errors messages whose {@link Module#receive} threw
 */
public record ModuleInfo(String name, String group, String state, int depth, int capacity, long delivered,
        long rejected, long errors) {
}

package dev.kedge.core;

/**
 * A snapshot of one module's mailbox.
 *
 * @param state {@code ACTIVE} while a module service consumes the mailbox, {@code WAITING} while none does
 *              (not yet started, or its bundle being updated)
 * @param rejected sends that failed because the mailbox stayed full
 * @param errors messages whose {@link Module#receive} threw
 */
public record ModuleInfo(String name, String group, String state, int depth, int capacity, long delivered,
        long rejected, long errors) {
}

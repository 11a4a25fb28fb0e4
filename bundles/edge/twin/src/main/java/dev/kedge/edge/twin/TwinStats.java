package dev.kedge.edge.twin;

/**
 * DeviceTwin's counters since it started.
 *
 * @param devices          member devices now
 * @param twins            twins now (not marked deleted)
 * @param twinUpdates      twin updates from mappers applied and committed
 * @param cloudSyncs       desired-value syncs from the cloud applied (membership, twin cloud updates, Device objects)
 * @param versionConflicts cloud syncs refused because the edge's copy is newer ("version conflict")
 * @param badMessages      messages refused: malformed JSON, wrong types, bad keys or values, oversized, unknown topic
 * @param unknownDevices   messages for a device that is not a member (404)
 * @param failedWrites     writes the store refused or could not commit (500; the cached device is re-read)
 * @param outboxPending    reports waiting in SQLite for the cloud (latest value per twin and per device state)
 * @param toCloud          reports handed to EdgeHub
 * @param toMappers        messages handed to EventBus for MQTT
 * @param droppedPublishes messages to mappers not sent because the publish queue stayed full
 * @param connected        whether the cloud link is up (EdgeHub's {@code node/connection} broadcasts)
 */
public record TwinStats(long devices, long twins, long twinUpdates, long cloudSyncs, long versionConflicts,
        long badMessages, long unknownDevices, long failedWrites, long outboxPending, long toCloud, long toMappers,
        long droppedPublishes, boolean connected) {
}

package dev.kedge.device.host;

/**
 * One Device the host drives.
 *
 * @param id       {@code <namespace>/<name>}
 * @param protocol {@code spec.protocol.protocolName}
 * @param driver   the bound driver's bundle ({@code <symbolic name> <version>}), empty when none
 * @param state    the state reported to DeviceTwin: {@code online}, {@code offline}, {@code unknown} (no driver)
 * @param reason   why it is not online, or the last failed property; empty when all is well
 * @param lastRead epoch millis of the last successful read, 0 when none
 * @param reads    successful channel reads
 * @param failures failed channel reads, connects and writes
 */
public record HostedDevice(String id, String protocol, String driver, String state, String reason, long lastRead,
        long reads, long failures) {
}

package dev.kedge.cloud.device;

/**
 * One Device as the controller sees it. {@code boundNode} is the node it was announced to ("" when none);
 * {@code problem} says why an invalid spec is not sent ("" when valid); {@code lastReportMillis} is when the edge last
 * reported twins or state (0: never since start).
 */
public record DeviceInfo(String namespace, String name, String nodeName, String boundNode, String model, String state,
        int desiredTwins, int reportedTwins, long lastReportMillis, String problem) {
}

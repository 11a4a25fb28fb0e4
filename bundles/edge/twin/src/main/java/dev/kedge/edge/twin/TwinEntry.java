package dev.kedge.edge.twin;

/**
 * One twin property of a device. Versions are KubeEdge's {@code {"cloud":c,"edge":e}} JSON, empty when never set.
 *
 * @param expected the desired value (from the cloud, or set at the edge), null when none
 * @param actual   the reported value (from the mapper), null when none
 * @param type     {@code metadata.type} ({@code string}, {@code int}, …; {@code deleted} for a removed twin)
 */
public record TwinEntry(String name, String expected, String actual, String expectedVersion, String actualVersion,
        String type, boolean optional) {
}

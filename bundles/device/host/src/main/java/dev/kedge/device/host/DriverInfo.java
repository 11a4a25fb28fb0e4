package dev.kedge.device.host;

/**
 * One driver service.
 *
 * @param protocol its {@code kedge.protocol}
 * @param bundle   {@code <symbolic name> <version>} of the bundle that registered it
 * @param devices  devices bound to it now
 */
public record DriverInfo(String protocol, String bundle, int devices) {
}

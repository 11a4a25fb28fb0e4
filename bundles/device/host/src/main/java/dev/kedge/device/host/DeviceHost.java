package dev.kedge.device.host;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import dev.kedge.device.driver.ChannelRecord;

/** What the device host drives, and one-off reads and writes for the console. */
@ProviderType
public interface DeviceHost {

    /** The Devices at this node, ordered by id. */
    List<HostedDevice> devices();

    /** The driver services known, ordered by protocol. */
    List<DriverInfo> drivers();

    /**
     * Reads one property now, through the device's connection (waits at most the configured read timeout for it).
     *
     * @param device {@code <namespace>/<name>}, or the name when unique
     */
    ChannelRecord read(String device, String property);

    /** Writes one property now, as a desired value would be written. */
    ChannelRecord write(String device, String property, String value);
}

package dev.kedge.device.driver;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A protocol driver, registered as a service with {@value #PROTOCOL} = the protocol name it serves. The device host
 * calls it from a small pool, never from a bus or SCR thread; one device's connection is used by one thread at a time.
 */
@ConsumerType
public interface Driver {
    /** Service property: the {@code spec.protocol.protocolName} this driver serves, e.g. {@code modbus}. */
    String PROTOCOL = "kedge.protocol";

    /**
     * Opens (or shares) the connection to one device.
     *
     * @param deviceId   {@code <namespace>/<name>}, for logs and per-device state
     * @param configData the Device's {@code spec.protocol.configData}, scalars as text, nested values as JSON
     * @throws DriverException with a reason a person can act on (bad configuration, unreachable endpoint)
     */
    DeviceConnection connect(String deviceId, Map<String, String> configData) throws DriverException;
}

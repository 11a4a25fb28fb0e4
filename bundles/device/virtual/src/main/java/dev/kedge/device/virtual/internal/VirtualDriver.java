package dev.kedge.device.virtual.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.Driver;
import dev.kedge.device.driver.DriverException;

/**
 * Protocol {@code virtual}: every property simulated from its visitor's configData (see {@link Generator}). The
 * Device's {@code spec.protocol.configData} may say {@code failConnect: "<reason>"} to simulate an unreachable device.
 */
@Component(service = Driver.class, property = Driver.PROTOCOL + "=" + VirtualDriver.PROTOCOL)
public final class VirtualDriver implements Driver {
    static final String PROTOCOL = "virtual";

    @Override
    public DeviceConnection connect(String deviceId, Map<String, String> configData) throws DriverException {
        String fail = configData.get("failConnect");
        if (fail != null && !fail.isBlank()) {
            throw new DriverException("virtual device " + deviceId + " refuses to connect: " + fail);
        }
        return new VirtualConnection();
    }
}

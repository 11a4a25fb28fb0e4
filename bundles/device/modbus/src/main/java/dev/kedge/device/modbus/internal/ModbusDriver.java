package dev.kedge.device.modbus.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.Driver;
import dev.kedge.device.driver.DriverException;

/**
 * Protocol {@code modbus}, Modbus TCP through j2mod. Device configData (KubeEdge v1beta1): {@code ip}, {@code port}
 * (502), {@code slaveID} (1), {@code communicateMode} ({@code TCP}; RTU needs a serial line and is refused here);
 * a nested {@code tcp: {ip, port, slaveID}} is read too. Devices at the same {@code ip:port} share one connection.
 */
@Component(service = Driver.class, property = Driver.PROTOCOL + "=" + ModbusDriver.PROTOCOL)
public final class ModbusDriver implements Driver {
    static final String PROTOCOL = "modbus";
    private static final Logger LOG = LoggerFactory.getLogger(ModbusDriver.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final Map<String, Endpoint> endpoints = new HashMap<>();

    @Override
    public DeviceConnection connect(String deviceId, Map<String, String> configData) throws DriverException {
        Map<String, String> c = new HashMap<>(configData);
        String tcp = c.get("tcp");
        if (tcp != null && tcp.startsWith("{")) {
            c.putAll(NestedJson.flat(tcp));
        }
        String mode = c.getOrDefault("communicateMode", "TCP").strip().toUpperCase(Locale.ROOT);
        if (!mode.isEmpty() && !"TCP".equals(mode)) {
            throw new DriverException("communicateMode " + mode + " is not supported: this driver speaks Modbus TCP");
        }
        String ip = c.getOrDefault("ip", "").strip();
        if (ip.isEmpty()) {
            throw new DriverException("configData has no ip");
        }
        int port = number(c, "port", 502, 1, 65535);
        int slave = number(c, "slaveID", 1, 0, 255);
        Endpoint e = acquire(ip, port);
        try {
            e.ensureConnected(CONNECT_TIMEOUT);
        } catch (Exception ex) {
            release(e);
            throw new DriverException("cannot reach " + ip + ":" + port + ": " + ex.getMessage(), ex);
        }
        LOG.debug("device {} on {} slave {}", deviceId, e.key, slave);
        return new ModbusConnection(this, e, slave);
    }

    private synchronized Endpoint acquire(String ip, int port) {
        Endpoint e = endpoints.computeIfAbsent(ip + ":" + port, k -> new Endpoint(ip, port, CONNECT_TIMEOUT));
        e.acquire();
        return e;
    }

    synchronized void release(Endpoint e) {
        if (e.release() <= 0 && endpoints.remove(e.key, e)) {
            e.reset();
        }
    }

    /** Open endpoints, for tests: one per ip:port however many devices use it. */
    synchronized int endpoints() {
        return endpoints.size();
    }

    @Deactivate
    synchronized void deactivate() {
        endpoints.values().forEach(Endpoint::reset);
        endpoints.clear();
    }

    private static int number(Map<String, String> c, String key, int fallback, int min, int max)
            throws DriverException {
        String v = c.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = (int) Double.parseDouble(v.strip());
            if (n < min || n > max) {
                throw new DriverException(key + " " + n + " out of range " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new DriverException(key + " '" + v + "' is not a number");
        }
    }
}

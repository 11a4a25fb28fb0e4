package dev.kedge.device.host.internal;

import java.util.List;
import java.util.Map;

/**
 * What the host needs of a v1beta1 Device (and its DeviceModel's property types).
 *
 * @param id             {@code <namespace>/<name>}
 * @param protocol       {@code spec.protocol.protocolName}
 * @param protocolConfig {@code spec.protocol.configData}, flattened to text
 */
record DeviceSpec(String id, String protocol, Map<String, String> protocolConfig, List<PropertySpec> properties) {

    PropertySpec property(String name) {
        for (PropertySpec p : properties) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The shortest collectCycle: the device's tick. */
    long tickMs(long fallback) {
        return properties.stream().mapToLong(PropertySpec::collectMs).min().orElse(fallback);
    }
}

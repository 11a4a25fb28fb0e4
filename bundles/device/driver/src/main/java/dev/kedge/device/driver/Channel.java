package dev.kedge.device.driver;

import java.util.Map;
import java.util.Objects;

/**
 * One Device property as a driver sees it.
 *
 * @param name   the property name (the twin's name)
 * @param type   the DeviceModel property's {@code type} in lower case ({@code int}, {@code float}, {@code double},
 *               {@code boolean}, {@code string}, …); empty when the model does not say
 * @param config the property visitor's {@code configData}, scalars as text, nested values as JSON
 */
public record Channel(String name, String type, Map<String, String> config) {
    public Channel {
        Objects.requireNonNull(name, "name");
        type = type == null ? "" : type;
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    /** The config value of {@code key}, or {@code fallback} when absent or blank. */
    public String config(String key, String fallback) {
        String v = config.get(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }
}

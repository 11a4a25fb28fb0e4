package dev.kedge.device.host.internal;

import dev.kedge.device.driver.Channel;

/** One Device property: its channel, {@code collectCycle}/{@code reportCycle} in ms, {@code reportToCloud}. */
record PropertySpec(Channel channel, long collectMs, long reportMs, boolean reportToCloud) {
    String name() {
        return channel.name();
    }

    /** The twin's {@code metadata.type} for reported values: DeviceTwin accepts these. */
    String twinType() {
        return switch (channel.type()) {
            case "int", "integer", "float", "double", "boolean", "string", "bytes" -> channel.type();
            default -> "string";
        };
    }
}

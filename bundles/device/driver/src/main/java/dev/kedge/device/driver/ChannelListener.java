package dev.kedge.device.driver;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives values a device pushes (Kura's {@code ChannelListener}). Must return quickly. */
@ConsumerType
@FunctionalInterface
public interface ChannelListener {
    void onChannelRecord(ChannelRecord record);
}

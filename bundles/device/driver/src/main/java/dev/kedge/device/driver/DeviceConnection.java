package dev.kedge.device.driver;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** One device's connection, from {@link Driver#connect}. Closing it disconnects the device (and stops listening). */
@ConsumerType
public interface DeviceConnection extends AutoCloseable {

    /**
     * Reads the channels, one record per channel in the same order. A failing channel gets a failed record; the
     * others are still read.
     *
     * @param timeout the longest the whole batch may block; a driver gives up (failed records) rather than exceed it
     * @throws DriverException when the connection itself is lost: the host reconnects with backoff
     */
    List<ChannelRecord> read(List<Channel> channels, Duration timeout) throws DriverException;

    /**
     * Writes {@code value} (text, as a twin holds it) to one channel.
     *
     * @return a record with the value written, or a failed record saying why (read-only register, bad value)
     * @throws DriverException when the connection itself is lost
     */
    ChannelRecord write(Channel channel, String value, Duration timeout) throws DriverException;

    /**
     * Asks for values the device pushes (optional). The default does not support it.
     *
     * @return false when the driver does not push values for these channels; the host then polls them
     */
    default boolean listen(List<Channel> channels, ChannelListener listener) {
        return false;
    }

    /**
     * Disconnects; never throws. May be called from another thread while a read or write blocks (a driver going
     * away, a stuck call aborted): that call must then return or throw soon.
     */
    @Override
    void close();
}

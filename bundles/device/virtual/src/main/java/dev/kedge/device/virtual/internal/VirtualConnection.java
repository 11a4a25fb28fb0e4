package dev.kedge.device.virtual.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import dev.kedge.device.driver.Channel;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.DeviceConnection;

/** One simulated device: a generator per channel, created on first read and kept until the channel's config changes. */
final class VirtualConnection implements DeviceConnection {
    private final ConcurrentHashMap<String, Generator> generators = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public List<ChannelRecord> read(List<Channel> channels, Duration timeout) {
        List<ChannelRecord> out = new ArrayList<>(channels.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel c : channels) {
            if (closed) {
                out.add(ChannelRecord.failure(c.name(), "connection closed"));
                continue;
            }
            try {
                Generator g = generator(c);
                if (!g.delay(deadline)) {
                    out.add(ChannelRecord.failure(c.name(), "timed out after " + timeout.toMillis() + " ms"));
                    continue;
                }
                out.add(ChannelRecord.success(c.name(), g.next()));
            } catch (IllegalArgumentException e) {
                out.add(ChannelRecord.failure(c.name(), e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(ChannelRecord.failure(c.name(), "interrupted"));
            }
        }
        return out;
    }

    @Override
    public ChannelRecord write(Channel channel, String value, Duration timeout) {
        try {
            return ChannelRecord.success(channel.name(), generator(channel).set(value));
        } catch (IllegalArgumentException e) {
            return ChannelRecord.failure(channel.name(), e.getMessage());
        }
    }

    private Generator generator(Channel c) {
        Generator g = generators.get(c.name());
        if (g == null || !g.config().equals(c)) {
            g = Generator.of(c);
            generators.put(c.name(), g);
        }
        return g;
    }

    @Override
    public void close() {
        closed = true;
    }
}

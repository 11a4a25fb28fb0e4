package dev.kedge.device.driver;

import java.util.Objects;

/**
 * The outcome of reading or writing one channel (Kura's {@code ChannelRecord} with its {@code ChannelStatus}).
 *
 * @param channel   the channel's name
 * @param ok        whether {@code value} holds a value
 * @param value     the value as text (a twin's form: {@code 21.5}, {@code true}, {@code 7}); null when failed
 * @param timestamp when the value was read, epoch millis
 * @param reason    why it failed; null when ok
 */
public record ChannelRecord(String channel, boolean ok, String value, long timestamp, String reason) {
    public ChannelRecord {
        Objects.requireNonNull(channel, "channel");
        if (ok == (value == null) || ok == (reason != null)) {
            throw new IllegalArgumentException("a record has a value or a reason, not both");
        }
    }

    public static ChannelRecord success(String channel, String value) {
        return new ChannelRecord(channel, true, value, System.currentTimeMillis(), null);
    }

    public static ChannelRecord failure(String channel, String reason) {
        return new ChannelRecord(channel, false, null, System.currentTimeMillis(),
                reason == null || reason.isBlank() ? "failed" : reason);
    }
}

package dev.kedge.device.host.internal;

import static dev.kedge.device.host.internal.HostFixture.device;
import static dev.kedge.device.host.internal.HostFixture.property;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.kedge.device.driver.Channel;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.Driver;
import dev.kedge.device.driver.DriverException;

/**
 * A driver that ignores the read timeout and blocks until its connection is closed (a socket read without
 * SO_TIMEOUT): the watchdog closes it, the device goes offline with a reason, and reconnects.
 */
class StuckDriverTest {

    /** Blocks every read until closed, like a socket with no timeout whose peer went silent. */
    static final class StuckDriver implements Driver {
        volatile int connects;

        @Override
        public DeviceConnection connect(String deviceId, Map<String, String> configData) {
            connects++;
            CountDownLatch closed = new CountDownLatch(1);
            return new DeviceConnection() {
                @Override
                public List<ChannelRecord> read(List<Channel> channels, Duration timeout) throws DriverException {
                    try {
                        closed.await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new DriverException("socket closed");
                }

                @Override
                public ChannelRecord write(Channel channel, String value, Duration timeout) {
                    return ChannelRecord.failure(channel.name(), "read-only");
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }
    }

    @Test
    void theWatchdogUnblocksAStuckDriverAndTheDeviceReconnects() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) {
            StuckDriver stuck = new StuckDriver();
            f.addDriver("stuck", stuck);
            f.addDriver("virtual", new dev.kedge.device.virtual.internal.VirtualDriver());
            f.meta.put("ns", "device", "hung", "1", device("ns", "hung", "stuck", "{}", property("v", 100, "{}")));
            f.meta.put("ns", "device", "ok", "1", device("ns", "ok", "virtual", "{}",
                    property("v", 100, "{\"mode\":\"counter\"}")));
            f.await("the stuck read aborted", 10, () -> f.host.counters().aborted.sum() >= 1);
            // reports every 100 ms while the other device's read hung for 2 x its timeout (a loaded machine gets fewer)
            int whileStuck = f.reported("ns/ok", "v").size();
            assertTrue(whileStuck >= 3, "the other device kept reporting while one read was stuck: " + whileStuck);
            f.await("offline, connection lost", 5, () -> f.states("ns/hung").contains("offline"));
            f.await("reconnected after the backoff", 10, () -> stuck.connects >= 2);
            f.await("the other device still reporting", 10, () -> f.reported("ns/ok", "v").size() > whileStuck);
        }
    }
}

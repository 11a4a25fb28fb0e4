package dev.kedge.device.host.internal;

import static dev.kedge.device.host.internal.HostFixture.device;
import static dev.kedge.device.host.internal.HostFixture.property;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.host.HostedDevice;
import dev.kedge.device.virtual.internal.VirtualDriver;

/** The host driving the real virtual driver: attach/detach, reports, desired writes, slow and bad devices. */
class DeviceHostTest {

    private static HostedDevice view(HostFixture f, String id) {
        return f.host.devices().stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
    }

    @Test
    void noDriverThenDriverThenGone() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) {
            f.meta.put("ns", "device", "d1", "1", device("ns", "d1", "virtual", "{}",
                    property("counter", 100, "{\"mode\":\"counter\",\"dataType\":\"int\"}")));
            f.await("state unknown (no driver)", 5, () -> f.states("ns/d1").contains("unknown"));
            assertTrue(view(f, "ns/d1").reason().contains("no driver for protocol 'virtual'"), view(f, "ns/d1")
                    .reason());

            long id = f.addDriver("virtual", new VirtualDriver());
            f.await("online", 5, () -> f.states("ns/d1").contains("online"));
            f.await("5 counter readings", 5, () -> f.reported("ns/d1", "counter").size() >= 5);
            List<String> values = f.reported("ns/d1", "counter");
            for (int i = 1; i < values.size(); i++) {
                assertTrue(Long.parseLong(values.get(i)) > Long.parseLong(values.get(i - 1)), "in order: " + values);
            }
            assertEquals(1, f.host.drivers().get(0).devices());

            f.host.removeDriver("virtual", id);
            f.await("unknown again", 5, () -> "unknown".equals(view(f, "ns/d1").state()));
            int before = f.reported("ns/d1", "counter").size();
            Thread.sleep(400);
            assertTrue(f.reported("ns/d1", "counter").size() <= before + 1, "no readings without a driver");

            f.addDriver("virtual", new VirtualDriver()); // an updated bundle: a new service
            f.await("online after the update", 5, () -> "online".equals(view(f, "ns/d1").state()));
            int after = f.reported("ns/d1", "counter").size();
            f.await("readings continue", 5, () -> f.reported("ns/d1", "counter").size() > after + 2);
        }
    }

    @Test
    void desiredValuesAreWrittenAndReadBack() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) {
            f.addDriver("virtual", new VirtualDriver());
            f.meta.put("ns", "device", "lamp", "1", device("ns", "lamp", "virtual", "{}",
                    property("power", 100, "{\"mode\":\"constant\",\"value\":\"1\",\"dataType\":\"int\"}")));
            f.await("reports 1", 5, () -> f.reported("ns/lamp", "power").contains("1"));
            f.twin.expected.put("ns/lamp", Map.of("power", "7"));
            f.await("reports the desired 7", 5, () -> f.reported("ns/lamp", "power").contains("7"));
            assertEquals("7", f.host.read("lamp", "power").value());
            ChannelRecord w = f.host.write("ns/lamp", "power", "nope");
            assertTrue(!w.ok() && w.reason().contains("not a number"), w.toString());
        }
    }

    @Test
    void aSlowDeviceDoesNotStallTheOthers() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) {
            f.addDriver("virtual", new VirtualDriver());
            // 4 slow devices: as many as pool threads, each read waits the whole timeout
            for (int i = 0; i < 4; i++) {
                f.meta.put("ns", "device", "slow" + i, "1", device("ns", "slow" + i, "virtual", "{}",
                        property("v", 100, "{\"delayMs\":\"60000\"}")));
            }
            for (int i = 0; i < 10; i++) {
                f.meta.put("ns", "device", "fast" + i, "1", device("ns", "fast" + i, "virtual", "{}",
                        property("v", 100, "{\"mode\":\"counter\"}")));
            }
            f.await("every fast device reports 5 times", 10, () -> {
                for (int i = 0; i < 10; i++) {
                    if (f.reported("ns/fast" + i, "v").size() < 5) {
                        return false;
                    }
                }
                return true;
            });
            f.await("the slow ones say why", 5, () -> view(f, "ns/slow0").reason().contains("timed out"));
            assertTrue(f.reported("ns/slow0", "v").isEmpty());
        }
    }

    @Test
    void badInputIsReportedAndHarmless() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) {
            f.addDriver("virtual", new VirtualDriver());
            f.meta.put("ns", "device", "mixed", "1", device("ns", "mixed", "virtual", "{}",
                    property("good", 100, "{\"mode\":\"counter\"}"),
                    property("bad", 100, "{\"mode\":\"warp\"}")));
            f.meta.put("ns", "device", "broken", "1", "{\"metadata\":{\"name\":\"broken\",\"namespace\":\"ns\"},"
                    + "\"spec\":{\"protocol\":{\"protocolName\":\"virtual\"},\"properties\":[{\"name\":\"p\","
                    + "\"collectCycle\":-5}]}}");
            f.meta.put("ns", "device", "garbage", "1", "{not json");
            f.meta.put("ns", "device", "away", "1", device("ns", "away", "virtual",
                    "{\"failConnect\":\"no route to host\"}", property("v", 100, "{}")));
            f.await("good property reports", 5, () -> f.reported("ns/mixed", "good").size() >= 3);
            assertTrue(f.reported("ns/mixed", "bad").isEmpty());
            assertTrue(view(f, "ns/mixed").reason().contains("unknown mode 'warp'"), view(f, "ns/mixed").reason());
            assertEquals("online", view(f, "ns/mixed").state());
            f.await("offline with its reason", 5, () -> "offline".equals(view(f, "ns/away").state()));
            assertTrue(view(f, "ns/away").reason().contains("no route to host"));
            assertTrue(view(f, "ns/broken").reason().contains("invalid"));
            assertTrue(view(f, "ns/garbage").reason().contains("invalid"));
            assertTrue(f.host.counters().badDevices.sum() >= 2);
        }
    }

    @Test
    void withoutDevicesNothingIsListedOrWatchedUntilMetaChanges() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) { // sync every 100 ms
            f.await("the first sync", 5, () -> f.meta.lists.get() == 2); // Devices and DeviceModels, once
            Thread.sleep(500);
            assertEquals(2, f.meta.lists.get(), "no query while MetaManager committed nothing");
            assertFalse(f.scheduler.periodic("device host watchdog"), "no watchdog without devices");

            f.addDriver("virtual", new VirtualDriver());
            f.meta.put("ns", "device", "d", "1", device("ns", "d", "virtual", "{}",
                    property("a", 100, "{\"value\":\"5\"}")));
            f.await("a = 5", 5, () -> f.reported("ns/d", "a").contains("5"));
            assertTrue(f.scheduler.periodic("device host watchdog"), "a watchdog while a device runs");
            int lists = f.meta.lists.get();
            Thread.sleep(500);
            assertEquals(lists, f.meta.lists.get(), "no query while nothing changes, devices or not");

            f.meta.remove("ns", "device", "d");
            f.await("gone", 5, () -> view(f, "ns/d") == null);
            f.await("the watchdog stopped", 5, () -> !f.scheduler.periodic("device host watchdog"));
        }
    }

    @Test
    void aChangedOrDeletedDeviceIsPickedUp() throws Exception {
        try (HostFixture f = new HostFixture(HostFixture.fast())) {
            f.addDriver("virtual", new VirtualDriver());
            f.meta.put("ns", "device", "d", "1", device("ns", "d", "virtual", "{}",
                    property("a", 100, "{\"value\":\"5\"}")));
            f.await("a = 5", 5, () -> f.reported("ns/d", "a").contains("5"));
            f.meta.put("ns", "device", "d", "2", device("ns", "d", "virtual", "{}",
                    property("a", 100, "{\"value\":\"6\"}")));
            f.await("a = 6 after the change", 5, () -> f.reported("ns/d", "a").contains("6"));
            f.meta.remove("ns", "device", "d");
            f.await("gone", 5, () -> view(f, "ns/d") == null);
        }
    }
}

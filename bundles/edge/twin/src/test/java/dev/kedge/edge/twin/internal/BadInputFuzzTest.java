package dev.kedge.edge.twin.internal;

import static dev.kedge.edge.twin.internal.TwinProcessorTest.MEMBERSHIP_V117;
import static dev.kedge.edge.twin.internal.TwinProcessorTest.mapperActual;
import static dev.kedge.edge.twin.internal.TwinTestSupport.controller;
import static dev.kedge.edge.twin.internal.TwinTestSupport.mqtt;
import static dev.kedge.edge.twin.internal.TwinTestSupport.published;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/** 12,000 bad messages: each is counted and answered or ignored; a valid update still works; the file is sound. */
class BadInputFuzzTest {
    private static final String TOPIC = "$hw/events/device/default/sensor-2/twin/update";
    private static final List<String> BAD_PAYLOADS = List.of("", "{", "[]", "null", "42", "\"text\"",
            "{\"twin\":[]}", "{\"twin\":5}", "{\"event_id\":7,\"twin\":{}}", "{\"timestamp\":\"x\",\"twin\":{}}",
            "{\"twin\":{\"t\":{\"actual\":{\"value\":5}}}}", "{\"twin\":{\"t\":{\"actual\":\"5\"}}}",
            "{\"twin\":{\"t\":{\"optional\":\"yes\"}}}", "{\"twin\":{\"t\":{\"metadata\":[1]}}}",
            "{\"twin\":{\"t\":{\"expected\":{\"value\":\"a b\"}}}}", "{\"twin\":{\"t\":{\"actual\":{}}}}",
            "{\"twin\":{\"t\":{\"actual\":{\"value\":\"x\"},\"metadata\":{\"type\":\"float\"}}}}",
            "{\"twin\":{\"t\":{\"actual\":{\"value\":\"x\"},\"metadata\":{\"type\":\"complex\"}}}}",
            "{\"twin\":{\"t\":{\"expected_version\":{\"cloud\":\"1\"}}}}", "{\"twin\":{\"\":{}}}", "{\"twin\":null}",
            "{\"twin\":{\"t\":{\"actual\":{\"value\":\"1\",\"metadata\":{\"timestamp\":\"now\"}}}}}");

    @TempDir
    Path dir;

    @Test
    void tenThousandBadMessagesChangeNothing() throws Exception {
        RecordingBus bus = new RecordingBus();
        SqliteStore store = TestStores.open(dir.resolve("edgecore.db"));
        TwinProcessor twin = new TwinProcessor(bus, store, TwinSettings.defaults(), () -> "edge-1");
        try {
            twin.receive(controller("membership", MEMBERSHIP_V117));
            Random random = new Random(42);
            String oversized = "{\"twin\":{\"t\":{\"actual\":{\"value\":\"" + "a".repeat(70_000) + "\"}}}}";
            int sent = 0;
            for (int i = 0; i < 12_000; i++) {
                twin.receive(bad(random, i, oversized));
                sent++;
            }
            assertEquals(12_000, sent);
            long bad = twin.stats().badMessages() + twin.stats().unknownDevices();
            assertTrue(bad >= 10_000, "every bad message is counted, got " + bad);
            assertTrue(twin.twins("default/sensor-2").isEmpty(), "no bad message changed a twin");

            twin.receive(mqtt(TOPIC, mapperActual("5")));
            published(bus, TOPIC + "/result", n -> "5".equals(n.at("/twin/temperature/actual/value").asText()));
            assertEquals("5", twin.twins("default/sensor-2").get(0).actual());
            assertTrue(store.checkIntegrity().ok(), "integrity_check after the flood");
            assertEquals(0, twin.stats().failedWrites());
        } finally {
            twin.stop();
            store.close(Duration.ofSeconds(5));
        }
    }

    private static Message bad(Random r, int i, String oversized) {
        switch (i % 8) {
            case 0 -> {
                return mqtt(TOPIC, BAD_PAYLOADS.get(r.nextInt(BAD_PAYLOADS.size())));
            }
            case 1 -> {
                byte[] garbage = new byte[r.nextInt(200)];
                r.nextBytes(garbage);
                return mqtt(TOPIC, new String(garbage, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            case 2 -> {
                return mqtt("$hw/events/device/nobody-" + r.nextInt(1000) + "/twin/update", mapperActual("1"));
            }
            case 3 -> {
                return mqtt("$hw/events/device/a/b/c/twin/update", mapperActual("1"));
            }
            case 4 -> {
                return Message.create("bus", "user", Operations.RESPONSE, "%%not-base64%%", "{}");
            }
            case 5 -> {
                return mqtt(TOPIC, i % 80 == 5 ? oversized : "{\"twin\":{\"k" + r.nextInt() + "!\":{}}}");
            }
            case 6 -> {
                return Message.create(ModuleNames.DEVICECONTROLLER, ModuleNames.ROUTE_TWIN, Operations.UPDATE,
                        "membership", r.nextBoolean() ? "{\"added_devices\":7}" : "{\"added_devices\":[{}]}");
            }
            default -> {
                return Message.create("meta", ModuleNames.GROUP_TWIN, Operations.UPDATE,
                        r.nextBoolean() ? "default/pod/x" : "device", "{}");
            }
        }
    }
}

package dev.kedge.edge.twin.internal;

import static dev.kedge.edge.twin.internal.TwinProcessorTest.MEMBERSHIP_V117;
import static dev.kedge.edge.twin.internal.TwinProcessorTest.mapperActual;
import static dev.kedge.edge.twin.internal.TwinTestSupport.controller;
import static dev.kedge.edge.twin.internal.TwinTestSupport.mqtt;
import static dev.kedge.edge.twin.internal.TwinTestSupport.published;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.RecordingBus;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.IntegrityResult;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.store.StoreStats;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/** A write SQLite refuses: the mapper gets KubeEdge's 500, and the cached twin goes back to what is committed. */
class FailedWriteTest {
    @TempDir
    Path dir;

    @Test
    void failedCommitAnswers500AndKeepsCommittedState() throws Exception {
        SqliteStore sqlite = TestStores.open(dir.resolve("edgecore.db"));
        FailingStore store = new FailingStore(sqlite);
        RecordingBus bus = new RecordingBus();
        TwinProcessor twin = new TwinProcessor(bus, store, TwinSettings.defaults(), () -> "edge-1");
        String topic = "$hw/events/device/default/sensor-2/twin/update";
        try {
            twin.receive(controller("membership", MEMBERSHIP_V117));
            twin.receive(mqtt(topic, mapperActual("1")));
            published(bus, topic + "/result", n -> "1".equals(n.at("/twin/temperature/actual/value").asText()));
            store.fail.set(true);
            twin.receive(mqtt(topic, mapperActual("2")));
            assertEquals(500, published(bus, topic + "/result", n -> n.has("code")).get("code").asInt());
            assertEquals("1", twin.twins("default/sensor-2").get(0).actual(), "the cache is re-read from SQLite");
            assertEquals(1, twin.stats().failedWrites());
            store.fail.set(false);
            twin.receive(mqtt(topic, mapperActual("3")));
            published(bus, topic + "/result", n -> "3".equals(n.at("/twin/temperature/actual/value").asText()));
            assertEquals("{\"cloud\":0,\"edge\":2}", twin.twins("default/sensor-2").get(0).actualVersion(),
                    "the failed update did not count");
        } finally {
            twin.stop();
            sqlite.close(Duration.ofSeconds(5));
        }
    }

    /** The real store, whose writes can be made to fail. */
    static final class FailingStore implements EdgeStore {
        final AtomicBoolean fail = new AtomicBoolean();
        private final EdgeStore real;

        FailingStore(EdgeStore real) {
            this.real = real;
        }

        @Override
        public <T> CompletableFuture<T> write(String what, SqlWork<T> work) {
            if (fail.get()) {
                return CompletableFuture.failedFuture(new StoreException(StoreException.Reason.SQL, "disk I/O error"));
            }
            return real.write(what, work);
        }

        @Override
        public <T> T read(SqlWork<T> work) {
            return real.read(work);
        }

        @Override
        public void migrate(String owner, List<String> steps) {
            real.migrate(owner, steps);
        }

        @Override
        public StoreStats stats() {
            return real.stats();
        }

        @Override
        public IntegrityResult checkIntegrity() {
            return real.checkIntegrity();
        }
    }
}

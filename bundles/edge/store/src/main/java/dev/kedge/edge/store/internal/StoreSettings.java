package dev.kedge.edge.store.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The checked, resolved configuration of the store. */
record StoreSettings(Path file, Duration busyTimeout, int queueCapacity, Duration queueWait, int maxBatch,
        int readConnections, Duration readWait, Duration migrateTimeout, boolean quarantine) {

    static final String KARAF_DATA = "${karaf.data}";

    static StoreSettings of(StoreConfig c) {
        String mode = c.onCorruption().trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("fail") && !mode.equals("quarantine")) {
            throw new IllegalArgumentException("onCorruption must be fail or quarantine, not '" + c.onCorruption() + "'");
        }
        return new StoreSettings(resolve(c.dataSource()), Duration.ofMillis(atLeast(0, c.busyTimeoutMs(), "busyTimeoutMs")),
                atLeast(1, c.writeQueueCapacity(), "writeQueueCapacity"),
                Duration.ofMillis(atLeast(0, c.writeQueueWaitMs(), "writeQueueWaitMs")),
                atLeast(1, c.maxBatch(), "maxBatch"), atLeast(1, c.readConnections(), "readConnections"),
                Duration.ofMillis(atLeast(0, c.readWaitMs(), "readWaitMs")),
                Duration.ofSeconds(atLeast(1, c.migrateTimeoutSeconds(), "migrateTimeoutSeconds")),
                mode.equals("quarantine"));
    }

    /** Expands {@code ${karaf.data}} from the system property Karaf sets; outside Karaf it is {@code data}. */
    static Path resolve(String dataSource) {
        String s = dataSource == null ? "" : dataSource.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("dataSource is empty");
        }
        s = s.replace(KARAF_DATA, System.getProperty("karaf.data", "data"));
        if (s.contains("${")) {
            throw new IllegalArgumentException("dataSource has an unknown ${...} placeholder: " + dataSource);
        }
        return Path.of(s).toAbsolutePath().normalize();
    }

    private static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}

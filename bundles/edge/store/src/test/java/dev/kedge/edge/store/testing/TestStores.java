package dev.kedge.edge.store.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.kedge.core.testing.TestConfigs;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.internal.StoreConfig;

/** Real SQLite stores for other modules' tests, opened as DS would: {@link StoreConfig}'s defaults and a file. */
public final class TestStores {
    private TestStores() {
    }

    public static SqliteStore open(Path file) {
        return open(file, Map.of());
    }

    /** {@code values} override {@link StoreConfig} attributes, e.g. {@code onCorruption=quarantine}. */
    public static SqliteStore open(Path file, Map<String, ?> values) {
        Map<String, Object> all = new HashMap<>(values);
        all.put("dataSource", file.toString());
        return new SqliteStore(TestConfigs.of(StoreConfig.class, all));
    }
}

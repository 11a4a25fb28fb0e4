package dev.kedge.edge.store.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.IntegrityResult;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.store.StoreStats;

/**
 * The {@link EdgeStore} service. A corrupt file (with {@code onCorruption=fail}) or an unusable configuration makes
 * activation fail with an ERROR that says what to do; the service is then absent, and so are the modules that need
 * it. A configuration change restarts the component (no {@code @Modified}): the file is closed and reopened.
 */
@Component(name = StoreComponent.PID, service = EdgeStore.class, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfig.class)
public final class StoreComponent implements EdgeStore {
    public static final String PID = "dev.kedge.edge.store";
    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

    private final SqliteStore store;

    @Activate
    public StoreComponent(StoreConfig config) {
        StoreSettings settings;
        try {
            settings = StoreSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration {}: {}; the edge store does not start", PID, e.getMessage());
            throw e;
        }
        try {
            this.store = SqliteStore.open(settings);
        } catch (StoreException e) {
            LOG.error("the edge store does not start: {}", e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        store.close(Duration.ofSeconds(10));
    }

    @Override
    public <T> CompletableFuture<T> write(String what, SqlWork<T> work) {
        return store.write(what, work);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        return store.read(work);
    }

    @Override
    public void migrate(String owner, List<String> steps) {
        store.migrate(owner, steps);
    }

    @Override
    public StoreStats stats() {
        return store.stats();
    }

    @Override
    public IntegrityResult checkIntegrity() {
        return store.checkIntegrity();
    }
}

package dev.kedge.monitor.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.ReadinessCheck;

/** The metric sources and readiness checks modules register; comes and goes with them, no restart of the endpoint. */
@Component(service = Whiteboard.class)
public final class Whiteboard {
    private final Map<MetricSource, Boolean> sources = new ConcurrentHashMap<>();
    private final Map<ReadinessCheck, String> checks = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(MetricSource source) {
        sources.put(source, Boolean.TRUE);
    }

    void removeSource(MetricSource source) {
        sources.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(ReadinessCheck check, Map<String, Object> properties) {
        Object name = properties.get(ReadinessCheck.NAME);
        checks.put(check, name == null ? check.getClass().getSimpleName() : name.toString());
    }

    void removeCheck(ReadinessCheck check) {
        checks.remove(check);
    }

    Iterable<MetricSource> sources() {
        return sources.keySet();
    }

    int sourceCount() {
        return sources.size();
    }

    /** Checks by name, sorted (two checks of one name: the later wins, which only a misconfiguration does). */
    Map<String, ReadinessCheck> checks() {
        Map<String, ReadinessCheck> byName = new TreeMap<>();
        checks.forEach((check, name) -> byName.put(name, check));
        return byName;
    }
}
